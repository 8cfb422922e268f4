'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { HostView } from '@/lib/fleet/fleet-api';
import type { HostSection } from '@/lib/fleet/fleet-query-api';
import type { HealingOverviewView } from '@/lib/healing/healing-views';
import type { RecoveryOverviewView } from '@/lib/recovery/recovery-views';
import { formatRelative } from '@/lib/format';
import { OpenIncidentCard, RecentIncidentRow } from '../modules/incident-list';
import { ModuleTable } from '../modules/module-table';
import { SectionPage } from '../shell/section-page';
import { SnapshotTable } from '../snapshots/snapshot-table';
import { Panel } from '../ui/panel';
import { useNow } from '../ui/use-now';
import { useHostSection } from './use-host-section';

/** Which sections a page scoped to a remote host can show with the host's own data. */
export type RemoteView = 'overview' | 'healing' | 'recovery' | 'defense';

const ignore = () => undefined;

/** "Host B · as of …", and how long it has been away when the view is the last one kept. */
export function HostBanner({ host, asOf, live, now }: { host: HostView; asOf: string; live: boolean; now: number }) {
  const away = host.disconnectedSince;
  return (
    <p
      role="status"
      className={`rounded-md border px-3 py-2 text-sm ${live ? 'border-accent/30 bg-accent/5' : 'border-warn/40 bg-warn/10'}`}
      data-testid="host-section-banner"
    >
      <strong>{host.name}</strong> · as of {new Date(asOf).toLocaleString()} ({formatRelative(asOf, now)})
      {!live ? <> · disconnected{away ? ` since ${new Date(away).toLocaleString()}` : ''}: the last view the console received</> : null}
      {' · read-only here; act on it from the '}
      <Link className="text-accent underline" href="/fleet">
        fleet page
      </Link>
    </p>
  );
}

/** Loads one section of the host and hands it to `render`, or says why there is none. */
export function Remote<T>({
  host,
  section,
  title,
  render,
}: {
  host: HostView;
  section: HostSection;
  title: string;
  render: (data: T, now: number) => ReactNode;
}) {
  const now = useNow();
  const view = useHostSection<T>(host.id, section);
  return (
    <SectionPage title={`${title} · ${host.name}`} summary={`${host.name}'s ${title.toLowerCase()}, as its agent reports it.`} testId="host-section">
      {view.data ? (
        <>
          <HostBanner host={host} asOf={view.data.asOf} live={view.data.live} now={now} />
          {render(view.data.data, now)}
        </>
      ) : view.isError ? (
        <p className="text-sm text-bad" role="alert" data-testid="host-section-error">
          Could not read {host.name}&apos;s {section}: {view.error.message}
        </p>
      ) : (
        <p className="text-sm text-faint">Asking {host.name}…</p>
      )}
    </SectionPage>
  );
}

/** The host's open incidents, then the recent closed ones: read-only cards and rows. */
export function RemoteIncidentsPanel({
  data,
  now,
  className,
}: {
  data: Pick<HealingOverviewView, 'openIncidents' | 'recentIncidents'>;
  now: number;
  className?: string;
}) {
  const openIds = new Set(data.openIncidents.map((incident) => incident.id));
  const recent = data.recentIncidents.filter((incident) => !openIds.has(incident.id)).slice(0, 8);
  return (
    <Panel
      title="Incidents"
      subtitle={data.openIncidents.length ? `${data.openIncidents.length} open` : 'none open'}
      testId="panel-incidents"
      className={className}
    >
      <div className="flex flex-col gap-2">
        {data.openIncidents.map((incident) => (
          <OpenIncidentCard key={incident.id} incident={incident} now={now} />
        ))}
        <ul className="-mx-2 flex flex-col">
          {recent.map((incident) => (
            <RecentIncidentRow key={incident.id} incident={incident} now={now} />
          ))}
        </ul>
        {!data.openIncidents.length && !recent.length ? <p className="text-xs text-faint">No incidents on this host.</p> : null}
      </div>
    </Panel>
  );
}

function HealingOf({ data, now }: { data: HealingOverviewView; now: number }) {
  return (
    <>
      <Panel title="Modules" testId="panel-modules">
        {data.modules.length ? (
          <ModuleTable modules={data.modules} now={now} canOperate={false} isAdmin={false} onError={ignore} />
        ) : (
          <p className="text-sm text-faint">No modules on this host.</p>
        )}
      </Panel>
      <RemoteIncidentsPanel data={data} now={now} />
    </>
  );
}

const READ_ONLY = { canDiff: false, canVerify: false, canRestore: false, verifying: null, busy: false, onVerify: ignore, onRestore: ignore };

function RecoveryOf({ data, now }: { data: RecoveryOverviewView; now: number }) {
  const golden = data.golden.newest;
  return (
    <Panel title="Snapshots" subtitle={golden ? `golden: ${golden.name}${data.golden.stale ? ' (stale)' : ''}` : 'no golden snapshot'} testId="panel-snapshots">
      {data.snapshots.length ? (
        <SnapshotTable snapshots={data.snapshots} now={now} actions={READ_ONLY} />
      ) : (
        <p className="text-sm text-faint">No snapshots on this host.</p>
      )}
    </Panel>
  );
}

/** A page scoped to a remote host, with that host's own data in the page's own tables. */
export function RemoteHostSection({ host, view }: { host: HostView; view: 'healing' | 'recovery' }) {
  if (view === 'healing')
    return <Remote<HealingOverviewView> host={host} section="healing" title="Healing" render={(data, now) => <HealingOf data={data} now={now} />} />;
  return <Remote<RecoveryOverviewView> host={host} section="snapshots" title="Recovery" render={(data, now) => <RecoveryOf data={data} now={now} />} />;
}
