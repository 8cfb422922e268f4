'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { HISTORY_RANGES, type HistoryRange } from '@/lib/health/history-range';
import { cn } from '../ui/cn';

const SHOWN: HistoryRange[] = ['15m', '1h', '6h', '24h', '7d', '30d'];

/** The range lives in the URL, so a copied link shows a colleague the same window. */
export function RangePicker({ value }: { value: HistoryRange }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <div role="group" aria-label="Time range" className="flex overflow-hidden rounded-md border border-border">
      {SHOWN.filter((r) => r in HISTORY_RANGES).map((range) => (
        <button
          key={range}
          type="button"
          aria-pressed={range === value}
          onClick={() => {
            const next = new URLSearchParams(params.toString());
            next.set('range', range);
            router.push(`${pathname}?${next.toString()}`, { scroll: false });
          }}
          className={cn('px-2 py-1 text-xs tabular', range === value ? 'bg-accent text-white dark:text-slate-950' : 'text-muted hover:bg-surface-2')}
        >
          {range}
        </button>
      ))}
    </div>
  );
}
