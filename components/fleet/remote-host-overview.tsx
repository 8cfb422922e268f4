'use client';

import type { HostView } from '@/lib/fleet/fleet-api';
import type { HostThreatsView } from '@/lib/fleet/fleet-query-api';
import type { HealingOverviewView } from '@/lib/healing/healing-views';
import { ThreatFeedPanel } from '../defense/threat-feed-panel';
import { SectionPage } from '../shell/section-page';
import { Panel } from '../ui/panel';
import { useNow } from '../ui/use-now';
import { HostHeartbeatPanel, HostPageLinks, HostRiskPanel } from './host-heartbeat-panel';
import { ModeBadge } from './host-badges';
import { HostBanner, Remote, RemoteIncidentsPanel } from './remote-host-sections';
import { useHostSection } from './use-host-section';

/** Why a panel has nothing: the agent's answer failed, or has not come yet. */
function Unanswered({ host, section, error }: { host: HostView; section: string; error: Error | null }) {
  return error ? (
    <p className="text-sm text-bad" role="alert" data-testid="host-section-error">
      Could not read {host.name}&apos;s {section}: {error.message}
    </p>
  ) : (
    <p className="text-sm text-faint">Asking {host.name}…</p>
  );
}

/**
 * The Overview of a remote host: health, degradation and mode from its heartbeat (the console
 * holds them), incidents and threats from its agent. The banner dates the older of the two
 * answers, and says it is a kept copy when either is.
 */
export function RemoteOverview({ host }: { host: HostView }) {
  const now = useNow();
  const healing = useHostSection<HealingOverviewView>(host.id, 'healing');
  const threats = useHostSection<HostThreatsView>(host.id, 'threats');
  const answers = [healing.data, threats.data].filter((answer) => answer !== undefined);
  const oldest = answers.reduce<(typeof answers)[number] | undefined>((older, answer) => (!older || answer.asOf < older.asOf ? answer : older), undefined);
  return (
    <SectionPage
      title={`Overview · ${host.name}`}
      summary={`${host.name}'s health from its heartbeat; its incidents and threats as its agent reports them.`}
      testId="host-overview"
    >
      {oldest ? <HostBanner host={host} asOf={oldest.asOf} live={answers.every((answer) => answer.live)} now={now} /> : null}
      <HostHeartbeatPanel host={host} />
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        {healing.data ? (
          <RemoteIncidentsPanel data={healing.data.data} now={now} />
        ) : (
          <Panel title="Incidents">
            <Unanswered host={host} section="incidents" error={healing.error} />
          </Panel>
        )}
        {threats.data ? (
          <ThreatFeedPanel threats={threats.data.data.threats} now={now} />
        ) : (
          <Panel title="Threat feed">
            <Unanswered host={host} section="threats" error={threats.error} />
          </Panel>
        )}
      </div>
      <HostRiskPanel host={host} />
      <HostPageLinks host={host} />
    </SectionPage>
  );
}

function DefenseOf({ host, data, now }: { host: HostView; data: HostThreatsView; now: number }) {
  return (
    <>
      <Panel title="Defense mode" testId="host-defense-mode">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <ModeBadge mode={data.mode} />
          <span className="text-muted">
            Isolations, the allowlist, bouncers and file integrity stay on {host.name}: isolate, release or lock it down with a command from the fleet page.
          </span>
        </p>
      </Panel>
      <ThreatFeedPanel threats={data.threats} now={now} />
      <HostPageLinks host={host} here="/defense" />
    </>
  );
}

/** Defense scoped to a remote host: its mode and its threat feed, read through its agent. */
export function RemoteDefense({ host }: { host: HostView }) {
  return <Remote<HostThreatsView> host={host} section="threats" title="Defense" render={(data, now) => <DefenseOf host={host} data={data} now={now} />} />;
}
