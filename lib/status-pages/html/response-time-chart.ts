import { html, type SafeHtml } from './safe-html';

const WIDTH = 300;
const HEIGHT = 64;

/**
 * Daily mean response time as bars, drawn on the server. It is an image to assistive
 * technology, with a text summary as its name; each bar says its day and value as a tooltip.
 */
export function responseTimeChart({ id, label, points }: { id: string; label: string; points: readonly { day: string; ms: number | null }[] }): SafeHtml {
  const values = points.flatMap((p) => (p.ms === null ? [] : [p.ms]));
  if (values.length === 0) return html`<p class="muted">No response times recorded yet.</p>`;
  const max = Math.max(...values);
  const slot = WIDTH / points.length;
  const latest = [...points].reverse().find((p) => p.ms !== null)!;
  const summary = `Average response time of ${label} per day over the last ${points.length} days: lowest ${Math.min(...values)} ms, highest ${max} ms, latest ${latest.ms} ms on ${latest.day}.`;
  const bars = points.map((p, i) => {
    if (p.ms === null) return html``;
    const h = Math.max(1, Math.round((p.ms / max) * (HEIGHT - 4)));
    return html`<rect x="${(i * slot + 1).toFixed(1)}" y="${HEIGHT - h}" width="${Math.max(1, slot - 2).toFixed(1)}" height="${h}"
      ><title>${p.day}: ${p.ms} ms</title></rect
    >`;
  });
  return html`<svg
    class="chart"
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    preserveAspectRatio="none"
    role="img"
    aria-labelledby="${id}-title ${id}-desc"
    focusable="false"
  >
    <title id="${id}-title">Response time, ${label}</title>
    <desc id="${id}-desc">${summary}</desc>
    ${bars}
  </svg>`;
}
