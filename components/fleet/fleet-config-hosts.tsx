'use client';

import type { FleetConfigHostView } from '@/lib/fleet/fleet-config-api';
import { Badge, type Tone } from '../ui/badge';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';

const TONES: Record<FleetConfigHostView['state'], Tone> = { none: 'neutral', pending: 'warn', applied: 'ok', rejected: 'bad' };

const partsOf = (host: FleetConfigHostView) =>
  Object.entries(host.parts)
    .map(([part, from]) => `${part} (#${from.assignmentId} v${from.version})`)
    .join(', ');

/** Per host: the revision the console assigns it, the one it applied, and pending or rejected with the agent's reason. */
export function FleetConfigHosts({ hosts }: { hosts: FleetConfigHostView[] }) {
  return (
    <DataTable
      columns={['Host', 'Status', { label: 'Assigned', align: 'right' }, { label: 'Applied', align: 'right' }, { label: 'Parts', wide: true }]}
      className="min-w-[340px] text-sm"
      label="Configuration status per host"
      testId="fleet-config-hosts"
      empty={hosts.length === 0 ? 'No agent has enrolled yet.' : undefined}
    >
      {hosts.map((host) => (
        <Tr key={host.hostId}>
          <Td className="font-medium">{host.name}</Td>
          <Td data-testid={`fleet-config-state-${host.name}`}>
            <Badge tone={TONES[host.state]}>{host.state === 'none' ? 'file only' : host.state}</Badge>
            {host.state === 'rejected' && host.reason ? <p className="mt-1 max-w-md break-words text-xs text-bad">{host.reason}</p> : null}
          </Td>
          <Td className="text-right tabular-nums">{host.assignedRevision || '—'}</Td>
          <Td className="text-right tabular-nums">{host.appliedRevision ?? '—'}</Td>
          <Td className={`${WIDE_ONLY} text-xs text-muted`}>{partsOf(host) || '—'}</Td>
        </Tr>
      ))}
    </DataTable>
  );
}
