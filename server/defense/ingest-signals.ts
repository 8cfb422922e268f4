import type { SecuritySignal, SignalKind } from '@/lib/defense/signals';
import type { IngestEvent } from '../ingest/ingest-schema';

const KIND: Record<IngestEvent['type'], SignalKind> = {
  auth_failure: 'auth_failure',
  auth_success: 'auth_success',
  request: 'request',
  error: 'error',
  custom: 'custom',
};

/** Application-reported events as detector signals; the event's own time counts, not its arrival. */
export function signalsFromIngest(events: IngestEvent[], now = Date.now()): SecuritySignal[] {
  return events.map((event) => ({
    kind: event.type === 'request' && event.status === 404 ? 'not_found' : KIND[event.type],
    source: event.source ?? '',
    user: event.user,
    path: event.path,
    status: event.status,
    origin: 'ingest',
    // A stale or future timestamp would leak the buckets backwards; clamp to the last hour.
    at: event.at ? Math.min(now, Math.max(now - 3_600_000, Date.parse(event.at))) : now,
  }));
}
