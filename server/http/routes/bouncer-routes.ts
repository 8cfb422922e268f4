import type { Server } from 'node:http';
import { defenseContracts } from '../../contracts';
import type { AuditWriter } from '../../audit';
import type { Database } from '../../db/client';
import { BouncerRegistry } from '../../defense';
import type { Logger } from '../../log';
import type { Router } from '../router';

export interface BouncerRouteDeps {
  db: Database;
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
  router.add({ ...defenseContracts.bouncers, handler: () => ({ bouncers: registry.list() }) });
  return registry;
}
