// socket.io clients that time every benchmark snapshot they receive; used by
// bench/live-latency.ts (in-process mode) and bench/live-clients.ts (child mode).
import { io, type Socket } from 'socket.io-client';
import { monoMs } from './common';
import { stampOf, type Receipt } from './live-protocol';

export interface StampedClients {
  /** Every client, available at once so a cleanup can disconnect them even while connecting. */
  sockets: Socket[];
  /** Resolves when all clients are connected; rejects with the first connection error. */
  connected: Promise<void>;
}

/** One websocket-only client per token; `onReceipt` sees each measured (non-warm-up) snapshot. */
export function connectStampedClients({
  url,
  tokens,
  onReceipt,
}: {
  url: string;
  tokens: string[];
  onReceipt: (receipt: Receipt & { client: number }) => void;
}): StampedClients {
  const sockets: Socket[] = [];
  const connected = Promise.all(
    tokens.map(
      (token, client) =>
        new Promise<void>((resolve, reject) => {
          const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
          sockets.push(socket);
          socket.on('health:sample', (payload) => {
            // Clocks first: stamp parsing is not part of the latency.
            const receivedMono = monoMs();
            const receivedWall = performance.timeOrigin + performance.now();
            const stamp = stampOf(payload);
            if (!stamp || stamp.warmup) return;
            onReceipt({ client, latencyMono: receivedMono - stamp.sentMono, latencyWall: receivedWall - stamp.sentWall });
          });
          socket.once('connect', () => resolve());
          socket.once('connect_error', (error) => reject(new Error(`client ${client}: ${error.message}`)));
        }),
    ),
  ).then(() => undefined);
  return { sockets, connected };
}
