'use client';

import type { Principal } from '@/lib/auth/roles';
import { useDefenseQuery } from '../queries/use-defense-query';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';
import { AllowlistPanel } from './allowlist-panel';
import { BlocklistsPanel } from './blocklists-panel';
import { BouncersPanel } from './bouncers-panel';
import { DefenseModePanel } from './defense-mode-panel';
import { IsolationsPanel } from './isolations-panel';
import { ThreatFeedPanel } from './threat-feed-panel';
import { ThreatStatsChart } from './threat-stats-chart';

/** The guardian on the dashboard: mode and lockdown, threat statistics, the live feed, isolations and the bouncers enforcing them. */
export function DefenseSection({ principal, now }: { principal: Principal; now: number }) {
  const { data, isError, error } = useDefenseQuery();
  if (!data) {
    return (
      <Panel title="Defense" testId="panel-defense-mode">
        <span id="defense" />
        {isError ? <p className="text-sm text-bad">Could not load the defense: {error.message}</p> : <EmptyState title="Waiting for the worker…" />}
      </Panel>
    );
  }
  return (
    <section id="defense" aria-label="Defense" className="flex scroll-mt-16 flex-col gap-4">
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-5">
        <DefenseModePanel overview={data} principal={principal} now={now} className="lg:col-span-2" />
        <ThreatStatsChart minutes={data.threatsPerMinute} now={now} className="lg:col-span-3" />
      </div>
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <ThreatFeedPanel threats={data.threats} now={now} principal={principal} />
        <IsolationsPanel isolations={data.isolations} total={data.isolationCount} principal={principal} now={now} />
      </div>
      <AllowlistPanel entries={data.allowlist} principal={principal} now={now} />
      {/* Full width, as the bouncers: eight columns and a refresh error do not fit half a screen. */}
      <BlocklistsPanel principal={principal} now={now} />
      <BouncersPanel now={now} />
    </section>
  );
}
