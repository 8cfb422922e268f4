'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { HostView } from '@/lib/fleet/fleet-api';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
import { SectionPage } from '../shell/section-page';
import { EmptyState } from '../ui/empty-state';
import { HostHeartbeatPanel, HostPageLinks, HostRiskPanel } from './host-heartbeat-panel';
import { RemoteDefense, RemoteOverview } from './remote-host-overview';
import { RemoteHostSection, type RemoteView } from './remote-host-sections';
import { useHostScope } from './use-host-scope';

const LOCAL_HOST_ID = 1;

function RemoteHostSummary({ host, section, details }: { host: HostView; section: string; details: string }) {
  return (
    <SectionPage
      title={`${section} · ${host.name}`}
      summary={`${host.name}'s ${details} live on its agent; the console keeps what its heartbeat reports.`}
      testId="host-scope-summary"
    >
      <HostHeartbeatPanel host={host} />
      <HostRiskPanel host={host} />
      <HostPageLinks host={host} />
    </SectionPage>
  );
}

/**
 * A section that shows this console's own details: with `?host=` naming another host it shows
 * that host's heartbeat summary instead, since the details are on the agent, not here.
 */
export function HostScoped({
  section,
  details,
  remote,
  children,
}: {
  section: string;
  details: string;
  /** The view of this section the console can ask a remote host's agent for, if any. */
  remote?: RemoteView;
  children: ReactNode;
}) {
  const scope = useHostScope();
  const { data, isError } = useFleetHostsQuery();
  if (scope === null || scope === LOCAL_HOST_ID) return children;
  const host = data?.find((candidate) => candidate.id === scope);
  if (host && remote === 'overview') return <RemoteOverview host={host} />;
  if (host && remote === 'defense') return <RemoteDefense host={host} />;
  if (host && (remote === 'healing' || remote === 'recovery')) return <RemoteHostSection host={host} view={remote} />;
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
