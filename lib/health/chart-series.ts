import type { HealthPoint } from './history-range';

export interface ChartPoint {
  t: number;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
}

/**
 * Points for a time axis, with a break wherever samples stop for more than three
 * usual intervals (the worker was down, the database was away): a chart must show
 * that there is no data there rather than draw a straight line across it.
 */
export function toChartSeries(points: HealthPoint[]): ChartPoint[] {
  if (points.length === 0) return [];
  const times = points.map((p) => Date.parse(p.at));
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i])
    .sort((a, b) => a - b);
  const usual = gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : 0;
  const breakAfter = Math.max(3 * usual, 15_000);
  const series: ChartPoint[] = [];
  points.forEach((p, i) => {
    if (i > 0 && times[i] - times[i - 1] > breakAfter) series.push({ t: times[i - 1] + 1, cpu: null, memory: null, disk: null });
    series.push({ t: times[i], cpu: p.cpu, memory: p.memory, disk: p.disk });
  });
  return series;
}
