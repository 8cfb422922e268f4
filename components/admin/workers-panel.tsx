'use client';

import { useQuery } from '@tanstack/react-query';
import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import { formatRelative } from '@/lib/format';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import { Badge } from '../ui/badge';
import { DataTable, Td, Tr } from '../ui/data-table';
import { FormError } from '../ui/field';
import { Panel } from '../ui/panel';

/** Elections take about a second: a poll this often shows a failover while it happens. */
const REFRESH_MS = 5000;

export function WorkersPanel() {
  const cluster = useQuery({ queryKey: queryKeys.cluster(), queryFn: () => apiFetch<ClusterOverview>('/api/cluster'), refetchInterval: REFRESH_MS });
  const overview = cluster.data;
  const now = cluster.dataUpdatedAt;
  const leader = overview?.members.find((m) => m.leader);
  const subtitle = !overview
    ? 'worker replicas'
    : overview.ha
      ? `${overview.members.length} replica${overview.members.length === 1 ? '' : 's'}; ${leader ? `${leader.node} leads` : 'no leader right now'}`
      : 'one worker: nothing to elect (SQLite, or VIGIL_HA off)';
  return (
    <Panel title="Workers" subtitle={subtitle} className="xl:col-span-2" testId="panel-workers">
      {overview && !overview.ha ? (
        <p className="text-sm text-muted">
          This installation runs one worker. On PostgreSQL, start several with <code className="font-mono text-xs">VIGIL_HA=true</code>: one leads (probes,
          detectors, healing), the others serve the guard, events and live dashboards and take over within seconds if the leader stops.
        </p>
      ) : (
        <DataTable
          columns={['Node', 'Role', 'Address', { label: 'Up since', align: 'right' }]}
          className="min-w-[560px] text-sm"
          empty={overview && overview.members.length === 0 ? 'No replica holds a session right now.' : undefined}
        >
          {(overview?.members ?? []).map((member) => (
            <Tr key={member.node}>
              <Td className="font-mono text-xs">
                {member.node}
                {overview?.self?.nodeId === member.node ? <span className="ml-1.5 font-sans text-faint">(this console’s worker)</span> : null}
              </Td>
              <Td>{member.leader ? <Badge tone="ok">leader</Badge> : <Badge>standby</Badge>}</Td>
              <Td className="font-mono text-xs text-muted">{member.address ?? 'local socket'}</Td>
              <Td className="text-right text-xs text-muted" title={new Date(member.since).toLocaleString([], { hourCycle: 'h23' })}>
                {formatRelative(member.since, now)}
              </Td>
            </Tr>
          ))}
        </DataTable>
      )}
      <FormError message={cluster.error ? cluster.error.message : null} />
    </Panel>
  );
}
