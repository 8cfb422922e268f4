'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { HostView } from '@/lib/fleet/fleet-api';
import { disconnectedSince } from '@/lib/fleet/fleet-table';
import { withHostScope } from '@/lib/fleet/host-scope';
import { formatRelative } from '@/lib/format';
import { HealthDial } from '../dashboard/health-gauge';
import { Panel } from '../ui/panel';
import { useNow } from '../ui/use-now';
import { FleetHeatmap } from './fleet-heatmap';
import { ConnectionBadge, LabelChips, LevelBadge, ModeBadge } from './host-badges';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-[11px] font-medium tracking-wide text-muted uppercase">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

/** What a remote host's last heartbeat said: its health gauge, degradation level, defense mode and connection. */
export function HostHeartbeatPanel({ host }: { host: HostView }) {
  const now = useNow();
  const away = disconnectedSince(host);
  return (
    <Panel
      title={`${host.name}, as last reported`}
      subtitle={host.status ? `agent version ${host.status.version}` : 'no status reported yet'}
      testId="host-heartbeat"
    >
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <HealthDial score={host.healthScore} stale={!host.connected} className="mx-auto w-36 shrink-0 sm:mx-0" testId="host-scope-health" />
        <dl className="grid flex-1 grid-cols-2 gap-3 sm:grid-cols-3">
          <Fact label="Connection">
            <ConnectionBadge host={host} />
          </Fact>
          <Fact label={away ? 'Disconnected since' : 'Last seen'}>
            <span className="text-muted">{(away ?? host.lastSeen) ? (now ? formatRelative((away ?? host.lastSeen)!, now) : '…') : '—'}</span>
          </Fact>
          <Fact label="Degradation">
            <span data-testid="host-scope-degradation">
              <LevelBadge level={host.degradation} />
            </span>
          </Fact>
          <Fact label="Defense mode">
            <span data-testid="host-scope-mode">
              <ModeBadge mode={host.defenseMode} />
            </span>
          </Fact>
          <Fact label="Open incidents">
            <span data-testid="host-scope-incidents">{host.status?.openIncidents ?? '—'}</span>
          </Fact>
          <Fact label="Labels">
            <LabelChips labels={host.labels} />
          </Fact>
        </dl>
      </div>
    </Panel>
  );
}

/** The worst risk per subsystem kind, as the host's heartbeat reports it. */
export function HostRiskPanel({ host }: { host: HostView }) {
  return (
    <Panel title="Risk on this host" testId="host-scope-risk">
      <FleetHeatmap hosts={[host]} />
    </Panel>
  );
}

/** The host's pages that show its own data, and the way back to every host. */
export function HostPageLinks({ host, here }: { host: HostView; here?: string }) {
  const links = [
    ['/healing', 'Modules and incidents'],
    ['/recovery', 'Snapshots'],
    ['/defense', 'Threats'],
    ['/audit', 'Audit events'],
  ] as const;
  return (
    <nav aria-label={`More of ${host.name}`} className="flex flex-wrap gap-x-1 gap-y-1 text-sm" data-testid="host-page-links">
      {links
        .filter(([path]) => path !== here)
        .map(([path, label]) => (
          <Link
            key={path}
            className="inline-flex min-h-10 items-center rounded-md px-2 text-accent hover:bg-surface-2 hover:underline"
            href={withHostScope(path, host.id)}
          >
            {label} of {host.name}
          </Link>
        ))}
      <Link className="inline-flex min-h-10 items-center rounded-md px-2 text-accent hover:bg-surface-2 hover:underline" href="/fleet">
        Every host
      </Link>
    </nav>
  );
}
