'use client';

import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { DrillRun, ScenarioName } from '@/lib/drills/drill-schema';
import { ChartFrame } from '../ui/chart-frame';
import { Select } from '../ui/field';
import { SelectOptions } from '../ui/select-options';

const day = (at: number) => new Date(at).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

/** MTTD and MTTR of one scenario across past runs, oldest on the left; skipped runs leave no point. */
export function DrillChart({ runs }: { runs: DrillRun[] }) {
  const scenarios = useMemo(() => [...new Set(runs.flatMap((run) => run.results.map((r) => r.scenario)))], [runs]);
  const [picked, setPicked] = useState<ScenarioName | null>(null);
  const scenario = picked && scenarios.includes(picked) ? picked : scenarios[0];
  const series = useMemo(
    () =>
      runs
        .flatMap((run) => {
          const result = run.results.find((r) => r.scenario === scenario && !r.skipped);
          return result ? [{ at: Date.parse(run.startedAt), mttd: seconds(result.mttdMs), mttr: seconds(result.mttrMs) }] : [];
        })
        .reverse(),
    [runs, scenario],
  );
  if (!scenario) return null;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2 text-xs text-faint">
        <span>Seconds to detect and to recover, per run</span>
        <Select value={scenario} onChange={(e) => setPicked(e.target.value as ScenarioName)} aria-label="Scenario" data-testid="drill-chart-scenario">
          <SelectOptions values={scenarios} />
        </Select>
      </div>
      <ChartFrame className="h-44" data-testid="drill-chart" data-points={series.length}>
        <LineChart data={series} margin={{ top: 4, right: 4, bottom: 0, left: -24 }}>
          <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
          <XAxis dataKey="at" tickFormatter={day} tick={{ fontSize: 10, fill: 'var(--faint)' }} tickLine={false} axisLine={false} minTickGap={40} />
          <YAxis tick={{ fontSize: 10, fill: 'var(--faint)' }} tickLine={false} axisLine={false} />
          <Tooltip
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
            labelStyle={{ color: 'var(--muted)' }}
            labelFormatter={(v) => day(Number(v))}
            formatter={(v) => `${String(v)} s`}
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          <Line dataKey="mttd" name="MTTD" stroke="var(--chart-cpu)" dot={{ r: 2 }} isAnimationActive={false} />
          <Line dataKey="mttr" name="MTTR" stroke="var(--chart-memory)" dot={{ r: 2 }} isAnimationActive={false} />
        </LineChart>
      </ChartFrame>
    </div>
  );
}
