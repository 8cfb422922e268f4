import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createLiveServer, type LiveIo, type LiveServer, type LiveServerOptions } from './live-server';

/** Where socket.io (engine.io) answers, its default path: the dashboards connect there. */
const LIVE_PATH = '/socket.io/';

const isLiveRequest = (req: IncomingMessage) => req.url?.startsWith(LIVE_PATH) ?? false;

export interface LazyLiveServer {
  /** Whether the socket server exists yet: the first dashboard's request creates it. */
  created(): boolean;
  connectedClients(): number;
  close(): Promise<void>;
}

/**
 * The live feed's socket server, created when the first dashboard connects rather than at start:
 * an idle worker nobody watches never loads socket.io. Until then two small hooks on the HTTP
 * server wait for the first request or upgrade on the socket path; that request creates the
 * server (which then attaches its own listeners) and is handed to its engine, so the dashboard's
 * first attempt connects. Nothing is lost by waiting: without a client no event had anyone to reach
 * (except in a cluster, below).
 */
export function createLazyLiveServer(options: LiveServerOptions, onCreated: (live: LiveServer & { io: LiveIo }) => void): LazyLiveServer {
  const { httpServer } = options;
  let live: ReturnType<typeof createLiveServer> | null = null;
  let closed = false;

  const create = () => {
    if (!live) {
      live = createLiveServer(options);
      onCreated(live);
    }
    return live;
  };

  // The worker's own handler answers every other request. Once created, socket.io wraps this
  // listener and takes its path itself, so only the first socket request is routed here.
  const others = httpServer.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isLiveRequest(req)) {
      for (const listener of others) listener.call(httpServer, req, res);
      return;
    }
    if (closed) return void res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('the live feed is closed');
    create().io.engine.handleRequest(req, res);
  });

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Once created, socket.io's own upgrade listener answers every upgrade.
    if (live) return;
    // The worker speaks no other upgrade protocol: an unanswered socket would only hang.
    if (closed || !isLiveRequest(req)) return void socket.destroy();
    create().io.engine.handleUpgrade(req, socket, head);
  });

  // A replica's events reach the other replicas' dashboards through the PostgreSQL adapter, so a
  // replica without a dashboard of its own still needs its socket server from the start.
  if (options.fanOutPool) create();

  return {
    created: () => live !== null,
    connectedClients: () => live?.connectedClients() ?? 0,
    close() {
      closed = true;
      return live?.close() ?? Promise.resolve();
    },
  };
}
