'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { HostView } from '@/lib/fleet/fleet-api';
import { disconnectedSince, type FleetSort, type FleetSortKey } from '@/lib/fleet/fleet-table';
import { withHostScope } from '@/lib/fleet/host-scope';
import { formatRelative } from '@/lib/format';
import { HealthDial } from '../dashboard/health-gauge';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { WIDE_ONLY } from '../ui/data-table';
import { ConnectionBadge, LabelChips, LevelBadge, ModeBadge } from './host-badges';
import { RevokeHostDialog } from './revoke-host-dialog';

const COLUMNS: { key: FleetSortKey; label: string; wide?: boolean }[] = [
  { key: 'name', label: 'Host' },
  { key: 'health', label: 'Health' },
  { key: 'level', label: 'Level', wide: true },
  { key: 'mode', label: 'Defense' },
  { key: 'incidents', label: 'Incidents', wide: true },
  { key: 'seen', label: 'Last seen', wide: true },
];

// Outer columns line up with the panel's padding, as DataTable's do.
const CELL = 'px-2 py-1.5 first:pl-4 last:pr-4';

function SortHeader({ column, sort, onSort }: { column: (typeof COLUMNS)[number]; sort: FleetSort; onSort: (key: FleetSortKey) => void }) {
  const active = sort.key === column.key;
  return (
    <th
      scope="col"
      className={cn(CELL, 'font-medium', column.wide && WIDE_ONLY)}
      aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        onClick={() => onSort(column.key)}
        className={cn('inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-text', active && 'text-text')}
        data-testid={`fleet-sort-${column.key}`}
      >
        {column.label}
        <span aria-hidden className="w-2 text-[10px]">
          {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}

function SeenCell({ host, now }: { host: HostView; now: number }) {
  const away = disconnectedSince(host);
  if (away) return <span className="text-bad">away since {now ? formatRelative(away, now).replace(' ago', '') : '…'}</span>;
  return <span className="text-muted">{host.lastSeen && now ? formatRelative(host.lastSeen, now) : '—'}</span>;
}

function HostRow({ host, now, canRevoke, onRevoke }: { host: HostView; now: number; canRevoke: boolean; onRevoke: () => void }) {
  const incidents = host.status?.openIncidents ?? null;
  return (
    <tr
      className="border-b border-border align-middle last:border-0"
      data-testid="fleet-host-row"
      data-host-name={host.name}
      data-state={host.revokedAt ? 'revoked' : host.connected ? 'connected' : 'disconnected'}
    >
      <td className={CELL}>
        <div className="flex min-w-0 flex-col gap-0.5">
          <Link
            href={withHostScope('/', host.id)}
            className="truncate font-medium text-text hover:text-accent hover:underline"
            title={`Scope the console to ${host.name}`}
          >
            {host.name}
          </Link>
          <span className="flex flex-wrap items-center gap-1 text-[11px] text-muted">
            <ConnectionBadge host={host} />
            {host.id === 1 ? <span>this console</span> : null}
            {host.status ? <span className="font-mono">v{host.status.version}</span> : null}
          </span>
          {/* On a phone the wide columns are hidden: their gist goes under the name. */}
          <span className="text-[11px] text-muted sm:hidden">
            {incidents === null ? '' : `${incidents} open incident${incidents === 1 ? '' : 's'} · `}
            <SeenCell host={host} now={now} />
          </span>
        </div>
      </td>
      <td className={CELL}>
        <HealthDial score={host.healthScore} stale={!host.connected} caption={false} className="h-12 w-14" testId="fleet-host-health" />
      </td>
      <td className={cn(CELL, WIDE_ONLY)}>
        <LevelBadge level={host.degradation} />
      </td>
      <td className={CELL}>
        <ModeBadge mode={host.defenseMode} />
      </td>
      <td className={cn(CELL, WIDE_ONLY, 'tabular text-right sm:text-left')} data-testid="fleet-host-incidents">
        {incidents === null ? (
          <span className="text-faint">—</span>
        ) : (
          <span className={incidents > 0 ? 'font-semibold text-bad' : 'text-muted'}>{incidents}</span>
        )}
      </td>
      <td className={cn(CELL, WIDE_ONLY, 'text-xs')}>
        <SeenCell host={host} now={now} />
      </td>
      <td className={cn(CELL, 'hidden lg:table-cell')}>
        <LabelChips labels={host.labels} />
      </td>
      {canRevoke ? (
        <td className={cn(CELL, 'text-right')}>
          {host.id !== 1 && !host.revokedAt ? (
            <Button variant="ghost-danger" className="px-2 py-1 text-xs" onClick={onRevoke} data-testid="fleet-host-revoke">
              Revoke
            </Button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

/** Every host, one row each, sortable by every column but the labels; revocation for administrators, behind a confirmation. */
export function HostTable({
  hosts,
  sort,
  onSort,
  now,
  canRevoke,
}: {
  hosts: HostView[];
  sort: FleetSort;
  onSort: (key: FleetSortKey) => void;
  now: number;
  canRevoke: boolean;
}) {
  const [revoking, setRevoking] = useState<HostView | null>(null);
  return (
    <div className="-mx-4 overflow-x-auto" tabIndex={0} role="region" aria-label="Hosts of the fleet">
      <table className="w-full text-left text-sm" data-testid="fleet-hosts">
        <thead className="text-[11px] text-faint">
          <tr className="border-b border-border">
            {COLUMNS.map((column) => (
              <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
            ))}
            <th scope="col" className={cn(CELL, 'hidden font-medium tracking-wide uppercase lg:table-cell')}>
              Labels
            </th>
            {canRevoke ? (
              <th scope="col" className={CELL}>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => (
            <HostRow key={host.id} host={host} now={now} canRevoke={canRevoke} onRevoke={() => setRevoking(host)} />
          ))}
          {hosts.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length + 2} className="px-4 py-3 text-center text-xs text-faint">
                No host carries this label.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {revoking ? <RevokeHostDialog host={revoking} onClose={() => setRevoking(null)} /> : null}
    </div>
  );
}
