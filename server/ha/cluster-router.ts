import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from '../http/router';

/**
 * What a standby answers itself: the guard (a fast route, never routed here), health and
 * metrics of this replica, event ingest (written to the shared chain, its signals relayed),
 * and bouncers' decision streams (from the blocklist every replica keeps). Everything else
 * acts on what the leader owns and is forwarded to it.
 */
const STANDBY_LOCAL = new Set(['/healthz', '/metrics', '/api/v1/events', '/api/v1/decisions/stream', '/api/v1/cluster', '/internal/v1/cluster']);

export function isStandbyLocal(rawUrl: string | undefined): boolean {
  if (!rawUrl) return false;
  const query = rawUrl.indexOf('?');
  return STANDBY_LOCAL.has(query < 0 ? rawUrl : rawUrl.slice(0, query));
}

/** A router that first offers each request to `divert` (a standby forwarding to its leader). */
export class ClusterRouter extends Router {
  constructor(private readonly divert: (req: IncomingMessage, res: ServerResponse) => boolean) {
    super();
  }

  override handle(...args: Parameters<Router['handle']>): ReturnType<Router['handle']> {
    const [req, res] = args;
    if (this.divert(req, res)) return Promise.resolve(true);
    return super.handle(...args);
  }
}
