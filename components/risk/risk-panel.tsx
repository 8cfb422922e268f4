'use client';

import { useState } from 'react';
import { canOperate, type Principal } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import { Panel } from '../ui/panel';
import { EmptyState } from '../ui/empty-state';
import { Button } from '../ui/button';
import { useForecastQuery } from '../queries/use-forecast-query';
import { RiskHeatmap } from './risk-heatmap';
import { RiskDetail } from './risk-detail';
import { PredictionList } from './prediction-list';
import { GovernorList } from './governor-list';

/** Rows shown before "show all": the riskiest first, so a fleet of modules stays readable. */
const TOP_ROWS = 14;

export function RiskPanel({ principal, now }: { principal: Principal; now: number }) {
  const forecast = useForecastQuery();
  const [selected, setSelected] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const data = forecast.data;
  const subsystems = data?.subsystems ?? [];
  const shown = all ? subsystems : subsystems.slice(0, TOP_ROWS);
  const detail = subsystems.find((s) => s.id === selected) ?? subsystems[0] ?? null;
  const canAct = canOperate(principal);
  return (
    <Panel
      title="Risk heatmap"
      subtitle={data?.at ? `computed ${formatRelative(data.at, now)} · every ${data.cycleSeconds} s` : undefined}
      testId="panel-risk"
      actions={
        subsystems.length > TOP_ROWS ? (
          <Button variant="ghost" className="h-6 text-xs" onClick={() => setAll(!all)}>
            {all ? `Top ${TOP_ROWS}` : `All ${subsystems.length}`}
          </Button>
        ) : null
      }
    >
      {!data || subsystems.length === 0 ? (
        <EmptyState title={forecast.isError ? 'Worker unreachable' : 'Waiting for the first forecast…'}>
          Per-subsystem risk (0-100) from trends, anomalies and history.
        </EmptyState>
      ) : (
        <div className="grid grid-cols-1 gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="flex min-w-0 flex-col gap-4">
            <RiskHeatmap subsystems={shown} history={data.history} selected={detail?.id ?? null} onSelect={setSelected} />
            <section>
              <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-muted">Predictions</h3>
              <PredictionList predictions={data.predictions.slice(0, 8)} showSubsystem />
            </section>
          </div>
          <div className="flex min-w-0 flex-col gap-4 border-border xl:border-l xl:pl-5">
            {detail ? <RiskDetail subsystem={detail} canAct={canAct} /> : null}
            <GovernorList canAct={canAct} />
          </div>
        </div>
      )}
    </Panel>
  );
}
