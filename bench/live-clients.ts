// Child process of bench/live-latency.ts: N socket.io clients in their own event loop.
// Started as `node --import tsx bench/live-clients.ts` with an IPC channel; the parent
// sends {type:'start', url, tokens}, then {type:'finish'}; this process answers with
// the latency of every benchmark snapshot received, per client.
import type { Socket } from 'socket.io-client';
import type { ChildToParent, ParentToChild } from './lib/live-protocol';
import { connectStampedClients } from './lib/stamped-clients';

if (!process.send) {
  console.error('live-clients.ts is started by bench/live-latency.ts (it needs an IPC channel)');
  process.exit(2);
}

const send = (message: ChildToParent) => process.send!(message);
const sockets: Socket[] = [];
const latencyMono: number[] = [];
const latencyWall: number[] = [];
const errors: string[] = [];
let perClient: number[] = [];

// Never outlive the benchmark.
const watchdog = setTimeout(() => {
  errors.push('watchdog: no finish message within 90 s');
  shutdown(3);
}, 90_000);

let stopping = false;
function shutdown(code = 0): void {
  if (stopping) return;
  stopping = true;
  clearTimeout(watchdog);
  for (const s of sockets) s.disconnect();
  if (process.connected) process.disconnect();
  setTimeout(() => process.exit(code), 50).unref();
}

async function start(url: string, tokens: string[]): Promise<void> {
  perClient = tokens.map(() => 0);
  const clients = connectStampedClients({
    url,
    tokens,
    onReceipt: (receipt) => {
      latencyMono.push(receipt.latencyMono);
      latencyWall.push(receipt.latencyWall);
      perClient[receipt.client] += 1;
    },
  });
  sockets.push(...clients.sockets);
  await clients.connected;
  send({ type: 'ready', connected: sockets.filter((s) => s.connected).length });
}

process.on('message', (message: ParentToChild) => {
  if (message.type === 'start') {
    start(message.url, message.tokens).catch((error: Error) => {
      send({ type: 'error', message: error.message });
      shutdown(1);
    });
  } else if (message.type === 'finish') {
    // Exit only once the result has been handed to the IPC channel.
    process.send!({ type: 'result', latencyMono, latencyWall, perClient, errors } satisfies ChildToParent, undefined, {}, () => shutdown(0));
  }
});
process.on('disconnect', () => shutdown(0));
