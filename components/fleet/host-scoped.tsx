'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { HostView } from '@/lib/fleet/fleet-api';
import { disconnectedSince } from '@/lib/fleet/fleet-table';
import { withHostScope } from '@/lib/fleet/host-scope';
import { formatRelative } from '@/lib/format';
import { HealthDial } from '../dashboard/health-gauge';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
import { SectionPage } from '../shell/section-page';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';
import { useNow } from '../ui/use-now';
import { FleetHeatmap } from './fleet-heatmap';
import { ConnectionBadge, LabelChips, LevelBadge, ModeBadge } from './host-badges';
import { useHostScope } from './use-host-scope';

const LOCAL_HOST_ID = 1;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-[11px] font-medium tracking-wide text-muted uppercase">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

function RemoteHostSummary({ host, section, details }: { host: HostView; section: string; details: string }) {
  const now = useNow();
  const away = disconnectedSince(host);
  return (
    <SectionPage
      title={`${section} · ${host.name}`}
      summary={`${host.name}'s ${details} live on its agent; the console keeps what its heartbeat reports.`}
      testId="host-scope-summary"
    >
      <Panel title={`${host.name}, as last reported`} subtitle={host.status ? `agent version ${host.status.version}` : 'no status reported yet'}>
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
              <LevelBadge level={host.degradation} />
            </Fact>
            <Fact label="Defense mode">
              <ModeBadge mode={host.defenseMode} />
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
      <Panel title="Risk on this host" testId="host-scope-risk">
        <FleetHeatmap hosts={[host]} />
      </Panel>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Link className="text-accent hover:underline" href={withHostScope('/audit', host.id)}>
          Audit events from {host.name}
        </Link>
        <Link className="text-accent hover:underline" href="/fleet">
          Every host
        </Link>
      </p>
    </SectionPage>
  );
}

/**
 * A section that shows this console's own details: with `?host=` naming another host it shows
 * that host's heartbeat summary instead, since the details are on the agent, not here.
 */
export function HostScoped({ section, details, children }: { section: string; details: string; children: ReactNode }) {
  const scope = useHostScope();
  const { data, isError } = useFleetHostsQuery();
  if (scope === null || scope === LOCAL_HOST_ID) return children;
  const host = data?.find((candidate) => candidate.id === scope);
  if (host) return <RemoteHostSummary host={host} section={section} details={details} />;
  return (
    <SectionPage title={section} summary="Scoped to a host of the fleet." testId="host-scope-summary">
      {data || isError ? (
        <EmptyState title={`No host ${scope} in this fleet`} testId="host-scope-unknown">
          <Link className="text-accent hover:underline" href="/fleet">
            See every host
          </Link>
        </EmptyState>
      ) : (
        <EmptyState title="Waiting for the worker…" />
      )}
    </SectionPage>
  );
}
