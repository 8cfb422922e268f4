import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from '../http/router';

/**
 * A router that first offers each request to `divert` (a standby forwarding to its leader).
 * What a standby answers itself is declared with each route (`standby: 'local'`): health and
 * metrics of this replica, event ingest (written to the shared chain, its signals relayed),
 * bouncers' decision streams (from the blocklist every replica keeps) and the cluster overview.
 * The guard is a fast route and never comes here. Everything else acts on what the leader owns.
 */
export class ClusterRouter extends Router {
  constructor(private readonly divert: (req: IncomingMessage, res: ServerResponse) => boolean) {
    super();
  }

  override handle(...args: Parameters<Router['handle']>): ReturnType<Router['handle']> {
    const [req, res] = args;
    if (!this.answersOnStandby(req.url) && this.divert(req, res)) return Promise.resolve(true);
    return super.handle(...args);
  }
}
