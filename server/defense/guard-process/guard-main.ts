/**
 * The dedicated guard process: answers `/guard/check` on a port of its own, from a copy of the
 * worker's state, so a proxied request never waits behind the worker's engine (its heap, timers
 * and collections). Started and fed by the worker (guard-supervisor.ts) over IPC; loads no
 * database, no engine, no Next. It listens only once the worker's full state has arrived, so it
 * never answers from an empty list.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BASE_RESPONSE_HEADERS } from '@/lib/response-headers';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../http/keep-alive';
import { createGuardHandler } from '../guard';
import type { FromGuard, GuardLimits, ToGuard } from './guard-protocol';
import { GuardTables } from './guard-tables';
import { RequestTally } from './request-tally';

/** How often counted requests go to the worker: the detectors see a flood within this much. */
const BATCH_MS = 50;

/**
 * After the worker is gone (even killed with SIGKILL: the IPC channel closes), the last state is
 * enforced this long, then the port is released for the worker that replaces it: an edge that
 * keeps refusing what was isolated rather than an open door, but never an orphan that holds the port.
 */
const ORPHAN_GRACE_MS = 5000;

const log = {
  error(fields: Record<string, unknown>, msg: string) {
    process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), name: 'guard', pid: process.pid, ...fields, msg })}\n`);
  },
};

const send = (message: FromGuard, written?: () => void): void => {
  if (process.connected) process.send!(message, undefined, undefined, written);
};

/**
 * Batches handed to the channel and not yet written to it. A worker that stops reading (hung, or
 * stalled in a long task) must not make them pile up here: past this many, the tally goes on
 * counting up to its bound and then lets its pairs go; the totals of checks and refusals still
 * reach the worker with the next batch it reads.
 */
const MAX_UNWRITTEN_BATCHES = 8;
let unwritten = 0;
/** Passed requests whose pairs were let go that way: the detectors never saw them. */
let uncounted = 0;

const tally = new RequestTally(() => flush());
const tables = new GuardTables(tally);
const check = createGuardHandler(tables, log);

/** Counted requests to the worker; an orphan (no worker to count them) lets them go, so its memory stays bounded. */
function flush(): void {
  if (tally.empty) return;
  if (unwritten >= MAX_UNWRITTEN_BATCHES) {
    if (tally.full) uncounted += tally.dropPairs();
    return;
  }
  const batch = tally.take();
  if (!process.connected) return;
  unwritten++;
  send({ kind: 'requests', at: Date.now(), ...batch }, () => unwritten--);
}

const HEALTH_HEADERS = { ...BASE_RESPONSE_HEADERS, 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' };
const NOT_FOUND_HEADERS = { ...BASE_RESPONSE_HEADERS, 'content-type': 'application/json; charset=utf-8' };

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  // The same path test as the worker's fast route: the query (if any) decides nothing.
  if (url === '/guard/check' || url.startsWith('/guard/check?')) return check(req, res);
  if (url === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
    const body = JSON.stringify({
      status: process.connected ? 'ok' : 'orphaned',
      role: 'guard',
      mode: tables.mode,
      decisions: tables.decisions.size,
      batches: { unwritten, uncountedRequests: uncounted },
    });
    res.writeHead(process.connected ? 200 : 503, HEALTH_HEADERS).end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(404, NOT_FOUND_HEADERS).end('{"error":{"code":"not_found","message":"this port answers /guard/check and /healthz only"}}');
}

let server: Server | null = null;

/**
 * Bounded against clients that hold connections: headers must arrive within the limit (checked
 * every second, not Node's 30 s, so a slow connection's slot frees soon after), a request whose
 * body dribbles is cut a little later, and past `maxConnections` new connections are closed.
 * Oversized headers are Node's own limit (16 KiB), answered 431.
 */
function createGuardServer(limits: GuardLimits): Server {
  const created = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.headersTimeoutMs * 2, connectionsCheckingInterval: 1000 },
    route,
  );
  created.maxConnections = limits.maxConnections;
  // The worker's keep-alive (nginx keeps its connections to the guard open longer than Node's
  // default), without its headers timeout: Node counts that one from a request's first byte, so the
  // short bound above cuts slow senders and leaves idle kept-alive connections alone.
  created.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return created;
}

function stop(code: number): void {
  server?.close();
  server?.closeAllConnections();
  process.exit(code);
}

process.on('message', (message: ToGuard) => {
  tables.apply(message);
  if (message.kind !== 'start' || server !== null) return;
  server = createGuardServer(message.limits);
  server.once('error', (error: NodeJS.ErrnoException) => {
    send({ kind: 'listen_failed', code: error.code ?? 'unknown', message: error.message });
    stop(1);
  });
  server.listen(message.listen.port, message.listen.host, () => {
    const address = server!.address();
    send({ kind: 'listening', port: typeof address === 'object' && address ? address.port : message.listen.port });
  });
});

setInterval(flush, BATCH_MS);
process.on('disconnect', () => setTimeout(() => stop(0), ORPHAN_GRACE_MS));
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
