import type { Server, ServerResponse } from 'node:http';
import { bouncerListSchema } from '@/lib/defense/bouncers';
import type { AuditWriter } from '../../audit';
import type { Db } from '../../db/client';
import { BouncerRegistry } from '../../defense';
import type { Logger } from '../../log';
import { sendJson, type Router } from '../router';

/** A decision-stream answer the stream serialised itself (it keeps the full list's text between pulls). */
export function sendStreamJson(res: ServerResponse, json: string): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(json);
}

/** What GET /api/v1/bouncers answers. */
export const bouncerListResponse = bouncerListSchema;

export interface BouncerRouteDeps {
  db: Db;
  audit: AuditWriter;
  log: Logger;
  /** The decision stream's count of what it handed each token last. */
  deliveredTo: (tokenId: string) => number;
  httpServer: Server;
}

/**
 * Starts the bouncer registry on the worker's requests and declares its endpoint. The
 * registry stops with the HTTP server; pulls seen in its last seconds may go unsaved, which
 * costs a bouncer's "last pull" a few seconds, never a decision.
 */
export async function registerBouncerRoutes(router: Router, deps: BouncerRouteDeps): Promise<BouncerRegistry> {
  const registry = new BouncerRegistry({ db: deps.db, audit: deps.audit, log: deps.log, deliveredTo: deps.deliveredTo });
  await registry.start();
  deps.httpServer.on('request', registry.observe);
  deps.httpServer.once('close', () => void registry.close());

  // threats:read, not the bouncers' own isolations:read: a bouncer has no business learning where the others run.
  router.add({ method: 'GET', path: '/api/v1/bouncers', auth: 'threats:read', handler: (ctx) => sendJson(ctx.res, 200, bouncerListResponse.parse({ bouncers: registry.list() })) });
  return registry;
}
