/** How the dashboard prints module numbers; pure, so the table and the incident drawer agree. */

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Compact durations for MTTD/MTTR: 850 ms, 4.2 s, 3m 10s. */
export function formatSpan(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** How many probes the module view carries (the newest last). */
export const SPARKLINE_PROBES = 30;

/**
 * Share of the recent probes that passed. The module view carries the last 30 probes only,
 * so this is "uptime over the last 30 checks", labelled as such; null before any probe.
 * While the window is not yet full the module is new, and the probes before it first answered
 * are its start-up, not downtime: counting them showed a healthy new module at "80 %" in red.
 */
export function recentUptime(sparkline: readonly (number | null)[]): number | null {
  if (sparkline.length === 0) return null;
  const firstPass = sparkline.findIndex((v) => v !== null);
  const starting = sparkline.length < SPARKLINE_PROBES && firstPass > 0;
  const counted = starting ? sparkline.slice(firstPass) : sparkline;
  return (100 * counted.filter((v) => v !== null).length) / counted.length;
}
