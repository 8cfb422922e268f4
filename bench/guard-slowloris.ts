// What a slow client costs the guard process's HTTP server, against Node's own http server as
// the anchor, in the same run: N connections each send one request head a byte per segment (a
// slowloris within the headers timeout), and each server's CPU time (user + system, read by the
// server process itself) is divided by the bytes it received.
//
//   npx tsx bench/guard-slowloris.ts [--clients 20] [--head-bytes 12000] [--rounds 2]
//
// Each server runs in a child process of its own, so its CPU time is its alone; the clients pace
// one byte per connection per millisecond, so every byte arrives as a segment of its own.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { createGuardHttpServer } from '@/server/defense/guard-process/guard-http';
import { intArg, machineInfo, parseArgs, round, table, writeResult } from './lib/common';
import { addCleanup, runBenchmark } from './lib/run';

const SERVERS = ['guard', 'node'] as const;
type ServerKind = (typeof SERVERS)[number];
const REPLY = Buffer.from('HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n');

/** A child: one server on loopback that reports its port, then its CPU time when asked. */
function serve(kind: ServerKind): void {
  const server =
    kind === 'guard'
      ? createGuardHttpServer({ maxConnections: 8192, headersTimeoutMs: 120_000 }, () => REPLY).server
      : http.createServer({ headersTimeout: 120_000, requestTimeout: 0 }, (_, res) => {
          res.statusCode = 204;
          res.end();
        });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as net.AddressInfo).port }));
  process.on('message', () => {
    const usage = process.cpuUsage();
    process.send!({ cpuMs: (usage.user + usage.system) / 1000 });
  });
}

const once = <T>(child: ChildProcess) => new Promise<T>((resolve) => child.once('message', (message) => resolve(message as T)));

async function measure(kind: ServerKind, clients: number, headBytes: number): Promise<{ cpuMs: number; bytes: number }> {
  const child = fork(process.argv[1], ['--serve', kind], { execArgv: ['--import', 'tsx'] });
  const dropCleanup = addCleanup(() => child.kill());
  try {
    const { port } = await once<{ port: number }>(child);
    const cpu = async () => {
      child.send('cpu');
      return (await once<{ cpuMs: number }>(child)).cpuMs;
    };
    const head = Buffer.from(`GET /guard/check HTTP/1.1\r\nHost: guard\r\nX-Pad: ${'a'.repeat(headBytes - 51)}\r\n\r\n`);
    const sockets = await Promise.all(
      Array.from(
        { length: clients },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
            socket.on('data', () => undefined);
          }),
      ),
    );
    const before = await cpu();
    for (let i = 0; i < head.length; i++) {
      for (const socket of sockets) socket.write(head.subarray(i, i + 1));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // Every head complete and answered before the server's CPU is read again.
    await Promise.all(
      sockets.map((socket) => new Promise((resolve) => (socket.readableLength > 0 || socket.bytesRead > 0 ? resolve(null) : socket.once('data', resolve)))),
    );
    const cpuMs = (await cpu()) - before;
    for (const socket of sockets) socket.destroy();
    return { cpuMs, bytes: head.length * clients };
  } finally {
    child.kill();
    dropCleanup();
  }
}

const args = parseArgs();
if (args.get('serve')) serve(args.get('serve') as ServerKind);
else
  runBenchmark({
    name: 'guard-slowloris',
    hardLimitMs: 600_000,
    async main() {
      const clients = intArg(args, 'clients', 20);
      const headBytes = intArg(args, 'head-bytes', 12_000);
      const rounds = intArg(args, 'rounds', 2);
      const results: Record<ServerKind, number[]> = { guard: [], node: [] };
      for (let r = 0; r < rounds; r++) {
        for (const kind of SERVERS) {
          const { cpuMs, bytes } = await measure(kind, clients, headBytes);
          results[kind].push((cpuMs * 1000) / bytes);
          console.log(`round ${r + 1} ${kind}: ${round(cpuMs)} ms CPU for ${bytes} bytes in one-byte segments`);
        }
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
      console.log(
        table(
          ['server', 'CPU per byte received (µs), median', 'against Node'],
          SERVERS.map((kind) => [kind, round(median(results[kind]), 2), round(median(results[kind]) / median(results.node), 2)]),
        ),
      );
      console.log(`results: ${writeResult('guard-slowloris', { machineInfo: machineInfo(), clients, headBytes, rounds, results })}`);
    },
  });
