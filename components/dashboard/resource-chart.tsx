'use client';

import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { useMemo } from 'react';
import type { HealthPoint } from '@/lib/health/history-range';
import { toChartSeries } from '@/lib/health/chart-series';
import { ChartFrame } from '../ui/chart-frame';

function tickTime(value: number, spanMs: number): string {
  const d = new Date(value);
  if (spanMs > 2 * 86_400_000) return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function ResourceChart({
  points,
  field,
  color,
  label,
  warnAt,
  testId,
  windowMs,
}: {
  points: HealthPoint[];
  /** The width of the time axis: the chosen range, ending at the newest point. */
  windowMs: number;
  field: 'cpu' | 'memory' | 'disk';
  color: string;
  label: string;
  warnAt: number;
  testId: string;
}) {
  const latest = points[points.length - 1];
  const series = useMemo(() => toChartSeries(points), [points]);
  const end = latest ? Date.parse(latest.at) : 0;
  const gradient = `fill-${field}`;
  return (
    <div className="flex min-w-0 flex-col gap-1" data-testid={testId} data-points={points.length}>
      <div className="flex items-baseline justify-between">
        <span className="text-xs font-medium uppercase tracking-wide text-muted">{label}</span>
        <span className="tabular text-lg font-semibold" data-testid={`${testId}-value`}>
          {latest ? `${latest[field].toFixed(1)} %` : '—'}
        </span>
      </div>
      {points.length === 0 ? (
        <div className="flex h-36 w-full items-center justify-center text-xs text-faint">No samples in this range yet</div>
      ) : (
        <ChartFrame className="h-36">
          <AreaChart data={series} margin={{ top: 4, right: 4, bottom: 0, left: -18 }}>
            <defs>
              <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor={color} stopOpacity={0.35} />
                <stop offset="100%" stopColor={color} stopOpacity={0.02} />
              </linearGradient>
            </defs>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[end - windowMs, end]}
              allowDataOverflow
              tickFormatter={(v: number) => tickTime(v, windowMs)}
              tick={{ fontSize: 10, fill: 'var(--faint)' }}
              tickLine={false}
              axisLine={false}
              minTickGap={40}
            />
            <YAxis domain={[0, 100]} ticks={[0, 50, 100]} tick={{ fontSize: 10, fill: 'var(--faint)' }} tickLine={false} axisLine={false} />
            <ReferenceLine y={warnAt} stroke="var(--warn)" strokeDasharray="3 3" strokeOpacity={0.6} />
            <Tooltip
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
              labelStyle={{ color: 'var(--muted)' }}
              labelFormatter={(v) => new Date(Number(v)).toLocaleString([], { hourCycle: 'h23' })}
              formatter={(v) => [`${Number(v).toFixed(1)} %`, label]}
            />
            <Area type="monotone" dataKey={field} stroke={color} strokeWidth={1.5} fill={`url(#${gradient})`} isAnimationActive={false} dot={false} />
          </AreaChart>
        </ChartFrame>
      )}
    </div>
  );
}
