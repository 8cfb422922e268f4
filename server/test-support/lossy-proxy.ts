import { connect, createServer, type Server, type Socket } from 'node:net';

export interface LossyProxy {
  port: number;
  /** Requests whose answer the proxy swallowed. */
  dropped(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback in front of `targetPort` that forwards every byte both ways (WebSockets
 * included), except that the answer to the first `times` requests starting with `dropFirst` never
 * reaches the client: the console did the work, the client sees the connection reset, as behind a
 * proxy that failed on the way back.
 */
export async function startLossyProxy(targetPort: number, dropFirst: string, times = 1): Promise<LossyProxy> {
  let dropped = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client).add(upstream);
    const forget = () => (open.delete(client), open.delete(upstream));
    client.on('close', () => (upstream.destroy(), forget()));
    upstream.on('close', () => (client.destroy(), forget()));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('data', (first: Buffer) => {
      upstream.write(first);
      client.pipe(upstream);
      if (dropped < times && first.toString('latin1').startsWith(dropFirst)) {
        dropped++;
        // The console's answer arrives, and the client is cut off instead of receiving it.
        upstream.once('data', () => client.resetAndDestroy());
        return;
      }
      upstream.pipe(client);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    dropped: () => dropped,
    close: () => {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
