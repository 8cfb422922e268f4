'use client';

import type { Severity } from '@/lib/audit/types';
import { formatClock } from '@/lib/format';
import { useRecentAuditQuery } from '../queries/use-recent-audit-query';
import { Badge, type Tone } from '../ui/badge';
import { DataTable, Td, Tr } from '../ui/data-table';
import { EmptyState } from '../ui/empty-state';

const SEVERITY_TONE: Record<Severity, Tone> = { debug: 'neutral', info: 'neutral', notice: 'accent', warning: 'warn', high: 'orange', critical: 'crit' };

/** Event text is untrusted (applications report it): React escapes it, and nothing here renders HTML. */
export function RecentAudit() {
  const { data, isLoading, error } = useRecentAuditQuery(12);
  if (isLoading) return <p className="text-sm text-faint">Loading…</p>;
  if (error) return <p className="text-sm text-bad">Could not load the audit trail: {error.message}</p>;
  if (!data || data.events.length === 0) return <EmptyState title="No events yet" />;
  return (
    <DataTable className="min-w-[640px] text-xs" testId="recent-audit" columns={['#', 'Time', 'Severity', 'Type', 'Who', 'What', 'Source']}>
      {data.events.map((e) => (
        <Tr key={e.seq} className="hover:bg-surface-2">
          <Td className="tabular text-faint">{e.seq}</Td>
          <Td className="tabular whitespace-nowrap text-muted" title={e.at}>
            {formatClock(e.at)}
          </Td>
          <Td>
            <Badge tone={SEVERITY_TONE[e.severity]}>{e.severity}</Badge>
          </Td>
          <Td className="font-mono whitespace-nowrap">{e.type}</Td>
          <Td className="max-w-[10rem] truncate text-muted" title={e.actor}>
            {e.actor}
          </Td>
          <Td className="max-w-[22rem] truncate" title={e.reason ? `${e.action} — ${e.reason}` : e.action}>
            {e.action}
            {e.reason ? <span className="text-faint"> — {e.reason}</span> : null}
          </Td>
          <Td className="font-mono text-muted">{e.source ?? '—'}</Td>
        </Tr>
      ))}
    </DataTable>
  );
}
