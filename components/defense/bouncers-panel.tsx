'use client';

import type { BouncerStatus, BouncerView } from '@/lib/defense/bouncers';
import { formatDuration, formatRelative } from '@/lib/format';
import { useBouncersQuery } from '../queries/use-bouncers-query';
import { Badge, type Tone } from '../ui/badge';
import { cn } from '../ui/cn';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { Panel } from '../ui/panel';

const STATUS_TONE: Record<BouncerStatus, Tone> = { ok: 'ok', pending: 'neutral', stale: 'warn', failing: 'bad' };
const STATUS_HINT: Record<BouncerStatus, string> = {
  ok: 'pulling on time',
  pending: 'has not pulled yet',
  stale: 'missed three of its pulls',
  failing: 'its last pull was refused',
};

function StatusBadge({ bouncer }: { bouncer: BouncerView }) {
  const hint = bouncer.revoked ? 'its key was revoked' : STATUS_HINT[bouncer.status];
  return (
    <span title={hint}>
      <Badge tone={STATUS_TONE[bouncer.status]} testId="bouncer-status">
        {bouncer.status}
      </Badge>
      {bouncer.lastStatus !== null && bouncer.lastStatus !== 200 ? <span className="ml-1 text-xs text-bad tabular">HTTP {bouncer.lastStatus}</span> : null}
    </span>
  );
}

/** The CrowdSec bouncers that enforce isolations in the kernel, as `cscli bouncers list` shows them. */
export function BouncersPanel({ now, className }: { now: number; className?: string }) {
  const { data, isError, error } = useBouncersQuery();
  const bouncers = data?.bouncers ?? [];
  const empty = isError
    ? `Could not load the bouncers: ${error.message}`
    : !data
      ? 'Loading…'
      : bouncers.length === 0
        ? 'No bouncer yet. Add one on the worker host with: vigil bouncer add NAME'
        : null;
  const stale = bouncers.filter((b) => b.status === 'stale' || b.status === 'failing').length;
  return (
    <Panel
      title="Bouncers"
      subtitle={stale > 0 ? `${stale} of ${bouncers.length} need attention` : `${bouncers.length} enforcing`}
      className={className}
      testId="panel-bouncers"
    >
      {/* A phone shows name, status and last pull, with where and what under the name; no sideways scrolling. */}
      <DataTable
        columns={[
          'Name',
          'Status',
          'Last pull',
          { label: 'Delivered', align: 'right', wide: true },
          { label: 'Address', wide: true },
          { label: 'Version', wide: true },
        ]}
        className="text-sm sm:min-w-[600px]"
        testId="bouncer-table"
        empty={empty}
      >
        {bouncers.map((bouncer) => (
          <Tr key={bouncer.name}>
            <Td className="font-medium">
              <span className="whitespace-nowrap" data-testid="bouncer-name">
                {bouncer.name}
              </span>
              <span className="block text-xs font-normal text-faint sm:hidden">
                {bouncer.address ?? 'no address yet'}
                {bouncer.version ? ` · ${bouncer.version}` : ''} · {bouncer.delivered.toLocaleString('en')} delivered
              </span>
            </Td>
            <Td className="whitespace-nowrap">
              <StatusBadge bouncer={bouncer} />
            </Td>
            <Td className="whitespace-nowrap text-xs" data-testid="bouncer-last-pull">
              {bouncer.lastPullAt ? formatRelative(bouncer.lastPullAt, now) : 'never'}
              {bouncer.intervalMs ? <span className="block text-faint">every {formatDuration(bouncer.intervalMs / 1000)}</span> : null}
            </Td>
            <Td className={cn('text-right tabular', WIDE_ONLY)}>{bouncer.delivered.toLocaleString('en')}</Td>
            <Td className={cn('font-mono text-xs', WIDE_ONLY)}>{bouncer.address ?? '—'}</Td>
            <Td className={cn('text-xs', WIDE_ONLY)}>{bouncer.version ?? '—'}</Td>
          </Tr>
        ))}
      </DataTable>
    </Panel>
  );
}
