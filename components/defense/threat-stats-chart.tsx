'use client';

import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { denseThreatMinutes, THREAT_LEVELS } from '@/lib/defense/threat-stats';
import type { ThreatMinute } from '@/lib/defense/defense-types';
import { ChartFrame } from '../ui/chart-frame';
import { Panel } from '../ui/panel';
import { LEVEL_COLOR } from './defense-style';

const clock = (minute: number) => new Date(minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Threats per minute by level over the last hour, stacked, from the overview and the live feed. */
export function ThreatStatsChart({ minutes, now, className }: { minutes: ThreatMinute[]; now: number; className?: string }) {
  // Re-bucketed once a minute, not every second: the axis moves by whole minutes.
  const minuteNow = Math.floor(now / 60_000);
  const series = useMemo(() => denseThreatMinutes(minutes, minuteNow * 60_000), [minutes, minuteNow]);
  const total = series.reduce((sum, m) => sum + m.medium + m.high + m.critical, 0);
  return (
    <Panel title="Threats over time" subtitle={`${total} in the last hour, per minute`} className={className} testId="panel-threat-stats">
      <ChartFrame className="h-44" data-testid="threat-chart" data-total={total}>
        <BarChart data={series} margin={{ top: 4, right: 4, bottom: 0, left: -24 }}>
          <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
          <XAxis dataKey="minute" tickFormatter={clock} tick={{ fontSize: 10, fill: 'var(--faint)' }} tickLine={false} axisLine={false} minTickGap={40} />
          <YAxis allowDecimals={false} tick={{ fontSize: 10, fill: 'var(--faint)' }} tickLine={false} axisLine={false} />
          <Tooltip
            cursor={{ fill: 'var(--chart-grid)', opacity: 0.5 }}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
            labelStyle={{ color: 'var(--muted)' }}
            labelFormatter={(v) => clock(Number(v))}
          />
          <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
          {THREAT_LEVELS.map((level) => (
            <Bar key={level} dataKey={level} stackId="level" fill={LEVEL_COLOR[level]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ChartFrame>
    </Panel>
  );
}
