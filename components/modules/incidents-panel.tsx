'use client';

import { useIncidentsQuery } from '../queries/use-incidents-query';
import { Panel } from '../ui/panel';
import { IncidentDrawer } from './incident-drawer';
import { OpenIncidentCard, RecentIncidentRow } from './incident-list';
import { useIncidentUrl } from './use-incident-url';

/** Open incidents first and large; then the latest resolved ones with their MTTD and MTTR. */
export function IncidentsPanel({ now, className }: { now: number; className?: string }) {
  const incidents = useIncidentsQuery();
  const { selected, select } = useIncidentUrl();
  const data = incidents.data;
  const open = data?.open ?? [];
  const openIds = new Set(open.map((i) => i.id));
  const recent = (data?.recent ?? []).filter((i) => !openIds.has(i.id)).slice(0, 8);
  return (
    <Panel
      title="Incidents"
      subtitle={data ? open.length ? <span className="text-bad">{open.length} open</span> : 'none open' : undefined}
      className={className}
      testId="panel-incidents"
    >
      {incidents.isError ? (
        <p className="text-sm text-bad">Could not load incidents: {incidents.error.message}</p>
      ) : !data ? (
        <p className="text-sm text-faint">Loading…</p>
      ) : (
        <div className="flex flex-col gap-3">
          {open.length ? (
            <div className="flex flex-col gap-2">
              {open.map((incident) => (
                <OpenIncidentCard key={incident.id} incident={incident} now={now} onOpen={select} />
              ))}
            </div>
          ) : (
            <p className="rounded-md border border-ok/30 bg-ok/5 px-3 py-2 text-sm text-ok" data-testid="incidents-none-open">
              No open incidents.
            </p>
          )}
          <div>
            <h3 className="mb-1 text-[11px] uppercase tracking-wide text-faint">Recent</h3>
            {recent.length ? (
              <ul className="-mx-2 flex flex-col">
                {recent.map((incident) => (
                  <RecentIncidentRow key={incident.id} incident={incident} now={now} onOpen={select} />
                ))}
              </ul>
            ) : (
              <p className="text-xs text-faint">Nothing has failed yet. Every failure opens an incident here, with its timeline.</p>
            )}
          </div>
        </div>
      )}
      {selected ? <IncidentDrawer id={selected} onClose={() => select(null)} /> : null}
    </Panel>
  );
}
