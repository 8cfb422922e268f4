'use client';

import type { Severity } from '@/lib/audit/types';
import { formatClock } from '@/lib/format';
import { useRecentAuditQuery } from '../queries/use-recent-audit-query';
import { Badge, type Tone } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';

const SEVERITY_TONE: Record<Severity, Tone> = { debug: 'neutral', info: 'neutral', notice: 'accent', warning: 'warn', high: 'orange', critical: 'crit' };

/** Event text is untrusted (applications report it): React escapes it, and nothing here renders HTML. */
export function RecentAudit() {
  const { data, isLoading, error } = useRecentAuditQuery(12);
  if (isLoading) return <p className="text-sm text-faint">Loading…</p>;
  if (error) return <p className="text-sm text-bad">Could not load the audit trail: {error.message}</p>;
  if (!data || data.events.length === 0) return <EmptyState title="No events yet" />;
  return (
    <div className="-mx-4 overflow-x-auto">
      <table className="w-full min-w-[640px] text-left text-xs" data-testid="recent-audit">
        <thead className="text-[11px] uppercase tracking-wide text-faint">
          <tr className="border-b border-border">
            <th className="px-4 py-1.5 font-medium">#</th>
            <th className="px-2 py-1.5 font-medium">Time</th>
            <th className="px-2 py-1.5 font-medium">Severity</th>
            <th className="px-2 py-1.5 font-medium">Type</th>
            <th className="px-2 py-1.5 font-medium">Who</th>
            <th className="px-2 py-1.5 font-medium">What</th>
            <th className="px-4 py-1.5 font-medium">Source</th>
          </tr>
        </thead>
        <tbody>
          {data.events.map((e) => (
            <tr key={e.seq} className="border-b border-border/60 last:border-0 hover:bg-surface-2">
              <td className="tabular px-4 py-1.5 text-faint">{e.seq}</td>
              <td className="tabular px-2 py-1.5 whitespace-nowrap text-muted" title={e.at}>
                {formatClock(e.at)}
              </td>
              <td className="px-2 py-1.5">
                <Badge tone={SEVERITY_TONE[e.severity]}>{e.severity}</Badge>
              </td>
              <td className="px-2 py-1.5 font-mono whitespace-nowrap">{e.type}</td>
              <td className="max-w-[10rem] truncate px-2 py-1.5 text-muted" title={e.actor}>
                {e.actor}
              </td>
              <td className="max-w-[22rem] truncate px-2 py-1.5" title={e.reason ? `${e.action} — ${e.reason}` : e.action}>
                {e.action}
                {e.reason ? <span className="text-faint"> — {e.reason}</span> : null}
              </td>
              <td className="px-4 py-1.5 font-mono text-muted">{e.source ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
