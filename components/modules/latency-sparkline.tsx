import { formatMs } from '@/lib/healing/module-format';

const WIDTH = 96;
const HEIGHT = 24;
/** ModuleView.sparkline holds at most this many probes. */
const SLOTS = 30;

/**
 * The last probes' latencies as a line; a failed probe breaks the line and draws a red tick at
 * the bottom, so an outage reads as a gap with marks, never as a dip to zero.
 */
export function LatencySparkline({ points, baselineMs }: { points: readonly (number | null)[]; baselineMs: number | null }) {
  if (points.length === 0) return <span className="text-xs text-faint">no probes yet</span>;
  const values = points.filter((v): v is number => v !== null);
  const max = Math.max(1, ...values, baselineMs ?? 0) * 1.15;
  // Fixed slots, newest at the right edge: a module with a few probes does not look stretched.
  const step = WIDTH / (SLOTS - 1);
  const x = (i: number) => WIDTH - (points.length - 1 - i) * step;
  const y = (v: number) => HEIGHT - 2 - (v / max) * (HEIGHT - 4);

  const segments: string[] = [];
  let current = '';
  points.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const failures = points.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0);
  const summary = `${values.length} of ${points.length} probes passed${values.length ? `, ${formatMs(Math.min(...values))}–${formatMs(Math.max(...values))}` : ''}`;

  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={summary}
      data-testid="module-sparkline"
      data-failures={failures.length}
      className="block overflow-visible"
    >
      <title>{summary}</title>
      {baselineMs !== null ? (
        <line x1={0} x2={WIDTH} y1={y(baselineMs)} y2={y(baselineMs)} stroke="var(--faint)" strokeDasharray="2 2" strokeWidth={0.75} />
      ) : null}
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="var(--accent)" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
      ))}
      {points.map((v, i) =>
        // A passed probe between two failures has no line to sit on: a dot keeps it visible.
        v !== null && (points[i - 1] ?? null) === null && (points[i + 1] ?? null) === null ? (
          <circle key={i} cx={x(i)} cy={y(v)} r={1.5} fill="var(--accent)" />
        ) : null,
      )}
      {failures.map((i) => (
        <rect key={i} x={x(i) - 1} y={HEIGHT - 6} width={2} height={6} rx={0.5} fill="var(--bad)" />
      ))}
    </svg>
  );
}
