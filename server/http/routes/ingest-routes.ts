import type { AuditWriter } from '../../audit';
import { machineContracts } from '../../contracts';
import { ingestEvents } from '../../ingest/ingest-events';
import type { SignalSink } from '@/lib/defense/signals';
import { signalsFromIngest } from '../../defense/ingest-signals';
import { HttpError, type Router } from '../router';

/** Past this many events waiting for the database, new batches are refused rather than buffered without bound. */
const MAX_PENDING = 200_000;

export function registerIngestRoutes(router: Router, deps: { audit: AuditWriter; signals?: SignalSink }): void {
  router.add({
    ...machineContracts.ingest,
    handler: async ({ principal, body }) => {
      if (deps.audit.status().pendingEvents > MAX_PENDING) {
        throw new HttpError(429, 'backpressure', 'too many events are waiting to be stored; retry later', { 'retry-after': '5' });
      }
      // Judged as soon as they are valid: an attack is stopped without waiting for the commit.
      if (deps.signals) for (const signal of signalsFromIngest(body.events)) deps.signals(signal);
      const receipts = await ingestEvents(deps.audit, principal, body.events);
      return { accepted: receipts.length, events: receipts };
    },
  });
}
