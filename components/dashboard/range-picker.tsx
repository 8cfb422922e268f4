'use client';

import { HISTORY_RANGES, type HistoryRange } from '@/lib/health/history-range';
import { cn } from '../ui/cn';
import { useUrlParams } from '../url/use-url-params';

const SHOWN: HistoryRange[] = ['15m', '1h', '6h', '24h', '7d', '30d'];

/** The range lives in the URL, so a copied link shows a colleague the same window. */
export function RangePicker({ value }: { value: HistoryRange }) {
  const { update } = useUrlParams();
  return (
    <div role="group" aria-label="Time range" className="flex overflow-hidden rounded-md border border-border">
      {SHOWN.filter((r) => r in HISTORY_RANGES).map((range) => (
        <button
          key={range}
          type="button"
          aria-pressed={range === value}
          onClick={() => update({ range })}
          className={cn('px-2 py-1 text-xs tabular', range === value ? 'bg-accent text-white dark:text-slate-950' : 'text-muted hover:bg-surface-2')}
        >
          {range}
        </button>
      ))}
    </div>
  );
}
