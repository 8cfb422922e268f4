import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const tracked = new WeakMap<Server, Set<Socket>>();

/**
 * Keeps every TCP connection the server accepts, the upgraded ones (WebSockets) included: Node's own
 * `closeAllConnections` reaches HTTP connections only, and a WebSocket whose peer never answers the
 * close (an agent that hangs, or one too starved to reply) holds `server.close()` for the 30 s the
 * `ws` library waits, so a stop must cut it instead (`destroyOpenConnections`).
 */
export function trackOpenConnections(server: Server): void {
  if (tracked.has(server)) return;
  const open = new Set<Socket>();
  tracked.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
}

/** Cuts every connection of a tracked server still open, WebSockets included. */
export function destroyOpenConnections(server: Server): void {
  for (const socket of tracked.get(server) ?? []) socket.destroy();
}
