'use client';

import type { DatabaseStatus } from '@/lib/health/types';
import { useLiveStatus } from '../live/live-status-store';
import { useHealthQuery } from '../queries/use-health-query';

/** Says plainly when the numbers on screen are not live, and why. */
export function ConnectionBanner({ database }: { database: DatabaseStatus | null }) {
  const live = useLiveStatus();
  if (live.state === 'offline') {
    return (
      <div
        role="alert"
        data-testid="offline-banner"
        className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-bad/50 bg-bad/10 px-4 py-2.5 text-sm text-bad"
      >
        <span>
          <strong className="font-semibold">Worker unreachable.</strong> Live updates stopped; the values on screen are the last ones received.
        </span>
        <span className="text-xs">Reconnecting{live.attempts > 0 ? ` (attempt ${live.attempts})` : ''}…</span>
      </div>
    );
  }
  if (database && !database.ok) {
    return (
      <div role="status" data-testid="database-banner" className="rounded-md border border-warn/50 bg-warn/10 px-4 py-2.5 text-sm text-warn">
        <strong className="font-semibold">Database unreachable.</strong> The worker keeps sampling and holds {database.pendingEvents.toLocaleString()} event
        {database.pendingEvents === 1 ? '' : 's'} until it returns.
      </div>
    );
  }
  return null;
}

/** Above every section: the worker or database being away matters wherever the operator is. */
export function ConsoleConnectionBanner() {
  const health = useHealthQuery();
  return (
    <div className="mb-4 empty:hidden">
      <ConnectionBanner database={health.data?.database ?? null} />
    </div>
  );
}
