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
  { key: 'mode', label: 'Defense', wide: true },
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

/** What an operator may do with the rows: tick them for a command to many, or command one. */
export interface HostRowCommands {
  selected: ReadonlySet<number>;
  onToggle: (hostId: number) => void;
  onCommand: (host: HostView) => void;
}

// A thumb's reach on a phone (40 px); the desktop's denser rows keep the button's own height.
const TOUCH = 'min-h-10 sm:min-h-0';

function HostActions({ host, canRevoke, onRevoke, commands }: { host: HostView; canRevoke: boolean; onRevoke: () => void; commands: HostRowCommands | null }) {
  return (
    // Stacked on a phone, where the row has no width to spare.
    <div className="flex flex-col items-end gap-1 sm:flex-row sm:justify-end">
      {commands && !host.revokedAt ? (
        <Button
          className={cn(TOUCH, 'sm:px-2 sm:text-xs')}
          onClick={() => commands.onCommand(host)}
          aria-label={`Command ${host.name}`}
          data-testid="fleet-host-command"
        >
          Command
        </Button>
      ) : null}
      {canRevoke && host.id !== 1 && !host.revokedAt ? (
        <Button variant="ghost-danger" className={cn(TOUCH, 'sm:px-2 sm:text-xs')} onClick={onRevoke} data-testid="fleet-host-revoke">
          Revoke
        </Button>
      ) : null}
    </div>
  );
}

function HostRow({
  host,
  now,
  canRevoke,
  onRevoke,
  commands,
}: {
  host: HostView;
  now: number;
  canRevoke: boolean;
  onRevoke: () => void;
  commands: HostRowCommands | null;
}) {
  const incidents = host.status?.openIncidents ?? null;
  const commandable = !host.revokedAt;
  return (
    <tr
      className="border-b border-border align-middle last:border-0"
      data-testid="fleet-host-row"
      data-host-name={host.name}
      data-state={host.revokedAt ? 'revoked' : host.connected ? 'connected' : 'disconnected'}
    >
      {commands ? (
        <td className="w-8 py-1.5 pr-0 pl-2 sm:pr-2 sm:pl-4">
          {commandable ? (
            // The label around the box is the target a thumb hits: 40 px square on a phone.
            <label className="flex size-10 cursor-pointer items-center justify-center sm:size-auto">
              <input
                type="checkbox"
                className="size-4 accent-[var(--color-accent)]"
                checked={commands.selected.has(host.id)}
                onChange={() => commands.onToggle(host.id)}
                aria-label={`Select ${host.name}`}
                data-testid="fleet-host-select"
              />
            </label>
          ) : null}
        </td>
      ) : null}
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
          <span className="flex flex-wrap items-center gap-x-1 text-[11px] text-muted sm:hidden">
            <ModeBadge mode={host.defenseMode} />
            <span>
              {incidents === null ? '' : `${incidents} open incident${incidents === 1 ? '' : 's'} · `}
              <SeenCell host={host} now={now} />
            </span>
          </span>
        </div>
      </td>
      <td className={CELL}>
        <HealthDial score={host.healthScore} stale={!host.connected} caption={false} className="h-9 w-11 sm:h-12 sm:w-14" testId="fleet-host-health" />
      </td>
      <td className={cn(CELL, WIDE_ONLY)}>
        <LevelBadge level={host.degradation} />
      </td>
      <td className={cn(CELL, WIDE_ONLY)}>
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
      {commands || canRevoke ? (
        <td className={cn(CELL, 'pl-1 text-right sm:pl-2')}>
          <HostActions host={host} canRevoke={canRevoke} onRevoke={onRevoke} commands={commands} />
        </td>
      ) : null}
    </tr>
  );
}

/** Every host, one row each, sortable by every column but the labels; commands for operators; revocation for administrators, behind a confirmation. */
export function HostTable({
  hosts,
  sort,
  onSort,
  now,
  canRevoke,
  commands,
}: {
  hosts: HostView[];
  sort: FleetSort;
  onSort: (key: FleetSortKey) => void;
  now: number;
  canRevoke: boolean;
  commands: HostRowCommands | null;
}) {
  const [revoking, setRevoking] = useState<HostView | null>(null);
  return (
    <div className="-mx-4 overflow-x-auto" tabIndex={0} role="region" aria-label="Hosts of the fleet">
      <table className="w-full text-left text-sm" data-testid="fleet-hosts">
        <thead className="text-[11px] text-faint">
          <tr className="border-b border-border">
            {commands ? (
              <th scope="col" className={CELL}>
                <span className="sr-only">Selected</span>
              </th>
            ) : null}
            {COLUMNS.map((column) => (
              <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
            ))}
            <th scope="col" className={cn(CELL, 'hidden font-medium tracking-wide uppercase lg:table-cell')}>
              Labels
            </th>
            {commands || canRevoke ? (
              <th scope="col" className={CELL}>
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => (
            <HostRow key={host.id} host={host} now={now} canRevoke={canRevoke} onRevoke={() => setRevoking(host)} commands={commands} />
          ))}
          {hosts.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length + 3} className="px-4 py-3 text-center text-xs text-faint">
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
