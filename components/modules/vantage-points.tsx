import type { VantageStatus, VantageSummary } from '@/lib/healing/vantage-schema';
import { formatMs } from '@/lib/healing/module-format';
import { TONE_FILL, TONE_TEXT, type Tone } from '../ui/badge';
import { cn } from '../ui/cn';

const STATUS_TONE: Record<VantageStatus, Tone> = { up: 'ok', down: 'bad', inconclusive: 'warn', unknown: 'neutral' };

/**
 * Each vantage point of a module probed from several hosts, as a dot with its name and what it saw
 * (its latency when up): written out rather than in tooltips, so a phone and a keyboard read the
 * same as a mouse.
 */
export function VantagePoints({ module, vantage }: { module: string; vantage: VantageSummary }) {
  const down = vantage.points.filter((point) => point.status === 'down').length;
  return (
    <div className="mt-1" data-testid="vantage-points">
      <p className="text-[11px] text-faint">
        {down} of {vantage.points.length} vantage points see it down · quorum {vantage.quorum}
      </p>
      <ul className="mt-0.5 flex flex-wrap gap-1" aria-label={`Vantage points of ${module}`}>
        {vantage.points.map((point) => (
          <li
            key={point.hostId}
            className="inline-flex items-center gap-1 rounded border border-border px-1.5 text-[11px] whitespace-nowrap"
            title={point.error ?? undefined}
            data-testid="vantage-point"
          >
            <span aria-hidden className={cn('size-2 rounded-full', TONE_FILL[STATUS_TONE[point.status]])} />
            <span className="font-mono">{point.name}</span>
            <span className={cn('tabular', TONE_TEXT[STATUS_TONE[point.status]])}>
              {point.status === 'up' && point.latencyMs !== null ? formatMs(point.latencyMs) : point.status}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
