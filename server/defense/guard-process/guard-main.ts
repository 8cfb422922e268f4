/**
 * The dedicated guard process: answers `/guard/check` on a port of its own, from a copy of the
 * worker's state, so a proxied request never waits behind the worker's engine (its heap, timers
 * and collections). Started and fed by the worker (guard-supervisor.ts) over IPC; loads no
 * database, no engine, no Next. It listens only once the worker's full state has arrived, so it
 * never answers from an empty list.
 */
import { BASE_RESPONSE_HEADERS } from '@/lib/response-headers';
import { createGuardCheck, GUARD_ANSWERS, type GuardAnswer } from '../guard';
import type { GuardHttpRequest } from './guard-http-head';
import { createGuardHttpServer } from './guard-http';
import { FixedReply, replyBytes } from './guard-http-reply';
import type { FromGuard, ToGuard } from './guard-protocol';
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
const check = createGuardCheck(tables, log);

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

const CHECK_REPLIES = Object.fromEntries(
  Object.entries(GUARD_ANSWERS).map(([answer, { status, headers }]) => [answer, new FixedReply(status, headers)]),
) as Record<GuardAnswer, FixedReply>;
const NOT_FOUND = new FixedReply(404, NOT_FOUND_HEADERS, '{"error":{"code":"not_found","message":"this port answers /guard/check and /healthz only"}}');

function route(req: GuardHttpRequest, remoteAddress: string): Buffer {
  const url = req.target;
  // The same path test as the worker's fast route: the query (if any) decides nothing.
  if (url === '/guard/check' || url.startsWith('/guard/check?')) return CHECK_REPLIES[check(remoteAddress, req.forwarded)].bytes(req.framing, req.head);
  if (url === '/healthz' && (req.method === 'GET' || req.head)) {
    const body = JSON.stringify({
      status: process.connected ? 'ok' : 'orphaned',
      role: 'guard',
      mode: tables.mode,
      decisions: tables.decisions.size,
      batches: { unwritten, uncountedRequests: uncounted },
    });
    return replyBytes(process.connected ? 200 : 503, HEALTH_HEADERS, body, req.framing, req.head);
  }
  return NOT_FOUND.bytes(req.framing, req.head);
}

let guard: ReturnType<typeof createGuardHttpServer> | null = null;

function stop(code: number): void {
  guard?.server.close();
  guard?.destroyConnections();
  process.exit(code);
}

process.on('message', (message: ToGuard) => {
  tables.apply(message);
  if (message.kind !== 'start' || guard !== null) return;
  guard = createGuardHttpServer(message.limits, route);
  const { server } = guard;
  server.once('error', (error: NodeJS.ErrnoException) => {
    send({ kind: 'listen_failed', code: error.code ?? 'unknown', message: error.message });
    stop(1);
  });
  server.listen(message.listen.port, message.listen.host, () => {
    const address = server.address();
    send({ kind: 'listening', port: typeof address === 'object' && address ? address.port : message.listen.port });
  });
});

setInterval(flush, BATCH_MS);
process.on('disconnect', () => setTimeout(() => stop(0), ORPHAN_GRACE_MS));
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
