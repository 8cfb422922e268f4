'use client';

import { riskBand, type SubsystemDetail } from '@/lib/forecast/risk';
import type { RiskHistoryView } from '@/lib/forecast/forecast-views';
import { cn } from '../ui/cn';
import { RiskLegend } from './risk-legend';
import { BAND_CELL, BAND_TEXT } from './risk-style';

/**
 * Always this many slots, newest on the right: hours of minutes are grouped into slots (the
 * worst risk of the group), and a young history leaves the left empty instead of stretching a
 * few minutes across the whole width, so a slot's width means the same time on every visit.
 */
const SLOTS = 48;
const MINUTE = 60_000;

interface Timeline {
  slots: (number | null)[][];
  slotMinutes: number;
  end: number | null;
}

function timeline(subsystems: SubsystemDetail[], history: RiskHistoryView): Timeline {
  const length = history.columns.length;
  const slotMinutes = Math.max(1, Math.ceil(length / SLOTS));
  const slots = subsystems.map((s) => {
    const values = history.rows[s.id] ?? [];
    const out: (number | null)[] = [];
    for (let end = values.length; end > 0 && out.length < SLOTS; end -= slotMinutes) {
      const known = values.slice(Math.max(0, end - slotMinutes), end).filter((v): v is number => v !== null);
      out.unshift(known.length ? Math.max(...known) : null);
    }
    while (out.length < SLOTS) out.unshift(null);
    return out;
  });
  const last = history.columns[length - 1];
  return { slots, slotMinutes, end: last ? Date.parse(last) : null };
}

const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function slotTitle(value: number | null, index: number, view: Timeline): string {
  const risk = value === null ? 'no data' : `risk ${value}`;
  if (view.end === null) return risk;
  const from = view.end - ((SLOTS - 1 - index) * view.slotMinutes + view.slotMinutes - 1) * MINUTE;
  return view.slotMinutes === 1 ? `${clock(from)} · ${risk}` : `${clock(from)}–${clock(from + (view.slotMinutes - 1) * MINUTE)} · ${risk}`;
}

function TimeAxis({ view }: { view: Timeline }) {
  if (view.end === null) return null;
  const at = (slot: number) => view.end! - (SLOTS - 1 - slot) * view.slotMinutes * MINUTE;
  return (
    <div className="flex justify-between font-mono text-[10px] text-faint" data-testid="risk-axis">
      <span>{clock(at(0))}</span>
      <span>{clock(at(SLOTS / 2))}</span>
      <span>{clock(at(SLOTS - 1))}</span>
    </div>
  );
}

export function RiskHeatmap({
  subsystems,
  history,
  selected,
  onSelect,
}: {
  subsystems: SubsystemDetail[];
  history: RiskHistoryView;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const view = timeline(subsystems, history);
  return (
    <div className="overflow-x-auto" data-testid="risk-heatmap">
      {/* On a phone the cells shrink rather than push the "Now" column off-screen. */}
      <div className="grid grid-cols-[minmax(5.5rem,13rem)_minmax(0,1fr)_3.25rem] items-center gap-x-2 gap-y-1 text-xs sm:min-w-[34rem] sm:gap-x-3">
        <span className="text-[11px] font-semibold uppercase tracking-wide text-muted">Subsystem</span>
        <span className="text-[11px] text-faint">
          last {Math.round((SLOTS * view.slotMinutes) / 6) / 10} h · {view.slotMinutes} min per cell
        </span>
        <span className="text-right text-[11px] font-semibold uppercase tracking-wide text-muted">Now</span>
        {subsystems.map((s, row) => {
          const isSelected = selected === s.id;
          return (
            <div
              key={s.id}
              role="button"
              tabIndex={0}
              data-testid="risk-row"
              data-subsystem={s.id}
              aria-pressed={isSelected}
              onClick={() => onSelect(s.id)}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect(s.id)}
              className={cn(
                'col-span-3 -mx-1.5 grid cursor-pointer grid-cols-subgrid items-center rounded px-1.5 py-0.5 hover:bg-accent/5',
                isSelected && 'bg-accent/10 ring-1 ring-accent/60',
              )}
            >
              <span className="flex min-w-0 items-baseline gap-1.5" title={`${s.name} (${s.kind})`}>
                <span className="truncate font-medium text-text">{s.name}</span>
                <span className="shrink-0 text-[10px] uppercase tracking-wide text-muted">{s.kind}</span>
              </span>
              <span className="flex h-6 min-w-0 gap-px sm:gap-[2px]">
                {view.slots[row].map((v, i) => (
                  <span
                    key={i}
                    data-testid="risk-cell"
                    data-band={v === null ? 'none' : riskBand(v)}
                    title={slotTitle(v, i, view)}
                    className={cn(
                      'min-w-0 flex-1 rounded-[1px] sm:min-w-[3px] sm:rounded-[2px]',
                      v === null ? 'bg-surface-2 dark:bg-surface-2/70' : BAND_CELL[riskBand(v)],
                      i === SLOTS - 1 && 'ring-1 ring-text/50',
                    )}
                  />
                ))}
              </span>
              <span
                data-testid="risk-cell-now"
                data-band={s.band}
                title={`current risk ${s.risk} of 100`}
                className={cn('flex h-6 items-center justify-center rounded font-mono text-sm font-bold tabular-nums', BAND_CELL[s.band], BAND_TEXT[s.band])}
              >
                {s.risk}
              </span>
            </div>
          );
        })}
        <span />
        <TimeAxis view={view} />
        <span className="text-right font-mono text-[10px] text-faint">now</span>
      </div>
      <RiskLegend />
    </div>
  );
}
