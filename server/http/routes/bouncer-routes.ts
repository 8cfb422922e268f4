import type { Server } from 'node:http';
import { defenseContracts } from '../../contracts';
import type { AuditWriter } from '../../audit';
import type { Database } from '../../db/client';
import { BouncerRegistry, type DecisionStream } from '../../defense';
import type { Logger } from '../../log';
import type { Router } from '../router';
import { decisionStreamLane } from './decision-stream-lane';

export interface BouncerRouteDeps {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  /** What bouncers pull; its fast lane records each pull it answers here. */
  stream: DecisionStream;
  httpServer: Server;
}

/**
 * Starts the bouncer registry on the worker's requests and declares its endpoint. The
 * registry stops with the HTTP server; pulls seen in its last seconds may go unsaved, which
 * costs a bouncer's "last pull" a few seconds, never a decision.
 */
export async function registerBouncerRoutes(router: Router, deps: BouncerRouteDeps): Promise<BouncerRegistry> {
  const registry = new BouncerRegistry({
    database: deps.database,
    audit: deps.audit,
    log: deps.log,
    deliveredTo: (tokenId) => deps.stream.lastDelivered(tokenId),
  });
  await registry.start();
  deps.httpServer.on('request', registry.observe);
  deps.httpServer.once('close', () => void registry.close());

  // threats:read, not the bouncers' own isolations:read: a bouncer has no business learning where the others run.
  router.add({ ...defenseContracts.bouncers, handler: () => ({ bouncers: registry.list() }) });
  // The stream's route itself is declared with the other defense routes; this answers most pulls before it.
  router.addFastLane(defenseContracts.decisionStream, decisionStreamLane(deps.stream, registry));
  return registry;
}
