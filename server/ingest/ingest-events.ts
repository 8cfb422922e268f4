import type { Principal } from '@/lib/auth/roles';
import type { Severity } from '@/lib/audit/types';
import type { JsonObject } from '@/lib/canonical-json';
import type { AppendReceipt, AuditWriter } from '../audit';
import type { IngestEvent } from './ingest-schema';
import { actorOf } from '@/lib/auth/actor';

const SEVERITY: Record<IngestEvent['type'], Severity> = {
  auth_failure: 'warning',
  auth_success: 'info',
  request: 'debug',
  error: 'warning',
  custom: 'info',
};

/** Application-reported events land in the audit chain; each is acknowledged once durable. */
export async function ingestEvents(audit: AuditWriter, principal: Principal, events: IngestEvent[]): Promise<AppendReceipt[]> {
  return Promise.all(
    events.map((event) => {
      const details: JsonObject = { ...(event.details as JsonObject | undefined) };
      // The reported user is what the event is about; who reported it (the actor) is the token.
      if (event.user !== undefined) details.user = event.user;
      if (event.path !== undefined) details.path = event.path;
      if (event.status !== undefined) details.status = event.status;
      if (event.name !== undefined) details.name = event.name;
      return audit.append({
        type: `app.${event.type}`,
        severity: SEVERITY[event.type],
        actor: actorOf(principal),
        action: event.type === 'custom' && event.name ? event.name : event.type.replace('_', ' '),
        module: event.module ?? null,
        source: event.source ?? null,
        method: 'ingest API',
        details,
        at: event.at ? new Date(event.at) : undefined,
      });
    }),
  );
}
