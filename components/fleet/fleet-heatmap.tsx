'use client';

import Link from 'next/link';
import type { HostView } from '@/lib/fleet/fleet-api';
import { withHostScope } from '@/lib/fleet/host-scope';
import { riskBand, SUBSYSTEM_KINDS, type SubsystemKind } from '@/lib/forecast/risk';
import { RiskLegend } from '../risk/risk-legend';
import { BAND_CELL, BAND_TEXT } from '../risk/risk-style';
import { cn } from '../ui/cn';

// "System" rather than the kind's own name, "host": the first column already names the host.
const KIND_LABEL: Record<SubsystemKind, string> = { host: 'System', disk: 'Disk', module: 'Modules', defense: 'Defense', data: 'Data', backups: 'Backups' };
/** On a phone six full words do not fit over six cells. */
const KIND_SHORT: Record<SubsystemKind, string> = { host: 'Sys', disk: 'Disk', module: 'Mod', defense: 'Def', data: 'Data', backups: 'Bkp' };

function RiskCell({ host, kind }: { host: HostView; kind: SubsystemKind }) {
  const risk = host.status?.risk[kind] ?? null;
  const title = `${host.name} · ${KIND_LABEL[kind]}: ${risk === null ? 'no data' : `risk ${risk} of 100`}`;
  if (risk === null)
    return (
      <span
        className="flex h-8 items-center justify-center rounded bg-surface-2 text-xs text-faint dark:bg-surface-2/70"
        title={title}
        data-testid="fleet-risk-cell"
        data-band="none"
      >
        <span aria-hidden>—</span>
        <span className="sr-only">{title}</span>
      </span>
    );
  const band = riskBand(risk);
  return (
    <span
      className={cn('flex h-8 items-center justify-center rounded font-mono text-xs font-bold tabular-nums sm:text-sm', BAND_CELL[band], BAND_TEXT[band])}
      title={title}
      aria-label={title}
      data-testid="fleet-risk-cell"
      data-band={band}
    >
      {risk}
    </span>
  );
}

/**
 * Hosts down, subsystem kinds across, each cell the worst current risk of that kind on that host,
 * in the local heatmap's colours: a red cell is where to look first. A host's name scopes the console to it.
 */
export function FleetHeatmap({ hosts }: { hosts: HostView[] }) {
  return (
    <div data-testid="fleet-heatmap">
      <div
        className="grid grid-cols-[4.5rem_repeat(6,minmax(0,1fr))] items-center gap-1 text-xs sm:grid-cols-[minmax(6rem,12rem)_repeat(6,minmax(0,1fr))] sm:gap-1.5"
        role="table"
        aria-label="Risk by host and subsystem"
      >
        <div role="row" className="contents">
          <span role="columnheader" className="text-[11px] font-semibold tracking-wide text-muted uppercase">
            Host
          </span>
          {SUBSYSTEM_KINDS.map((kind) => (
            <span
              key={kind}
              role="columnheader"
              title={KIND_LABEL[kind]}
              className="truncate text-center text-[10px] font-semibold tracking-wide text-muted uppercase sm:text-[11px]"
            >
              <span className="sm:hidden" aria-hidden>
                {KIND_SHORT[kind]}
              </span>
              <span className="sr-only sm:not-sr-only">{KIND_LABEL[kind]}</span>
            </span>
          ))}
        </div>
        {hosts.map((host) => (
          <div key={host.id} role="row" className="contents" data-testid="fleet-risk-row" data-host-name={host.name}>
            <span role="rowheader" className="min-w-0 truncate">
              <Link href={withHostScope('/risk', host.id)} className="font-medium text-text hover:text-accent hover:underline">
                {host.name}
              </Link>
            </span>
            {SUBSYSTEM_KINDS.map((kind) => (
              <span key={kind} role="cell" className="min-w-0">
                <RiskCell host={host} kind={kind} />
              </span>
            ))}
          </div>
        ))}
      </div>
      <RiskLegend />
    </div>
  );
}
