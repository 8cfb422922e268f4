'use client';

import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';
import { ActiveAlerts } from './active-alerts';
import { RulesPanel } from './rules-panel';
import { SilencesPanel } from './silences-panel';
import { useAlertsQuery } from './use-alerts';

/** Alerting in one place: what fires now, what is silenced, and the rules behind both. */
export function AlertsConsole({ canOperate, canAdminister }: { canOperate: boolean; canAdminister: boolean }) {
  const query = useAlertsQuery();
  if (query.isError) return <EmptyState title="Alerts are not available">{query.error.message}</EmptyState>;
  const data = query.data;
  return (
    <div className="flex flex-col gap-4" data-testid="alerts-console">
      <Panel title="Alerts" subtitle="Grouped by rule; acknowledged alerts stop reminding" testId="alerts-active">
        {data ? <ActiveAlerts alerts={data.alerts} canOperate={canOperate} /> : <p className="text-sm text-muted">Loading…</p>}
      </Panel>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Panel title="Silences" testId="alerts-silences">
          {data ? <SilencesPanel silences={data.silences} canOperate={canOperate} /> : null}
        </Panel>
        <Panel title="Rules" testId="alerts-rules">
          {data ? <RulesPanel rules={data.rules} channels={data.channels} canAdminister={canAdminister} /> : null}
        </Panel>
      </div>
    </div>
  );
}
