'use client';

import { useState } from 'react';
import { toneForScore } from '@/lib/health/level-style';
import type { Deduction } from '@/lib/health/score';
import { TONE_TEXT } from '../ui/badge';
import { cn } from '../ui/cn';
import { HealthBreakdownDialog } from './health-breakdown-dialog';

const START = -120;
const SWEEP = 240;
const RADIUS = 80;
const CENTER = 100;

function polar(angle: number, radius = RADIUS): { x: number; y: number } {
  const rad = ((angle - 90) * Math.PI) / 180;
  return { x: CENTER + radius * Math.cos(rad), y: CENTER + radius * Math.sin(rad) };
}

function arc(from: number, to: number, radius = RADIUS): string {
  const a = polar(from, radius);
  const b = polar(to, radius);
  const large = to - from > 180 ? 1 : 0;
  return `M ${a.x} ${a.y} A ${radius} ${radius} 0 ${large} 1 ${b.x} ${b.y}`;
}

/** The degradation bands' edges, drawn as ticks on the track so the needle's band is obvious. */
const BANDS = [
  { from: 0, to: 30, color: 'var(--crit)' },
  { from: 30, to: 50, color: 'var(--bad)' },
  { from: 50, to: 65, color: 'var(--orange)' },
  { from: 65, to: 80, color: 'var(--warn)' },
  { from: 80, to: 100, color: 'var(--ok)' },
];

/** The dial alone: the dashboard's gauge, and each host's row on the fleet page, so hosts are read the same way everywhere. */
export function HealthDial({
  score,
  stale,
  className,
  testId = 'health-score',
  caption = true,
}: {
  score: number | null;
  stale: boolean;
  className?: string;
  testId?: string;
  /** The line under the number: too small to read on a dial the size of a table row. */
  caption?: boolean;
}) {
  const tone = score === null ? 'neutral' : toneForScore(score);
  const angle = START + (SWEEP * (score ?? 0)) / 100;
  return (
    <svg viewBox="0 0 200 170" role="img" aria-label={score === null ? 'health score unknown' : `health score ${score} of 100`} className={className}>
      {BANDS.map((band) => (
        <path
          key={band.from}
          d={arc(START + (SWEEP * band.from) / 100 + 0.8, START + (SWEEP * band.to) / 100 - 0.8, RADIUS + 12)}
          stroke={band.color}
          strokeWidth={3}
          fill="none"
          opacity={0.55}
        />
      ))}
      <path d={arc(START, START + SWEEP)} stroke="var(--surface-2)" strokeWidth={14} fill="none" strokeLinecap="round" />
      {score !== null && score > 0 ? (
        <path
          d={arc(START, angle)}
          stroke={`var(--${tone === 'neutral' ? 'faint' : tone})`}
          strokeWidth={14}
          fill="none"
          strokeLinecap="round"
          style={{ transition: 'd 400ms ease' }}
        />
      ) : null}
      <text x={CENTER} y={104} textAnchor="middle" className={cn('tabular fill-current', TONE_TEXT[tone])} fontSize={46} fontWeight={700} data-testid={testId}>
        {score ?? '—'}
      </text>
      {caption ? (
        <text x={CENTER} y={126} textAnchor="middle" className="fill-current text-faint" fontSize={11} letterSpacing={1}>
          {stale ? 'LAST KNOWN' : 'HEALTH / 100'}
        </text>
      ) : null}
    </svg>
  );
}

export function HealthGauge({ score, deductions, stale }: { score: number | null; deductions: Deduction[]; stale: boolean }) {
  const [explaining, setExplaining] = useState(false);
  return (
    <div className="flex flex-col items-center gap-3">
      <button
        type="button"
        className="relative w-full max-w-[220px] cursor-pointer rounded-lg transition hover:bg-surface-2/60"
        onClick={() => setExplaining(true)}
        title="What took points away?"
        data-testid="health-gauge"
      >
        <HealthDial score={score} stale={stale} className="w-full" />
      </button>
      <div className="w-full" data-testid="health-deductions">
        {deductions.length === 0 ? (
          <p className="text-center text-xs text-faint">{score === null ? 'Waiting for the first sample…' : 'Nothing is taking points away.'}</p>
        ) : (
          <ul className="space-y-1 text-xs">
            {deductions.map((d) => (
              <li key={d.factor} className="flex items-center justify-between gap-2">
                <span className="truncate text-muted">{d.detail}</span>
                <span className="tabular shrink-0 font-medium text-bad">−{d.points}</span>
              </li>
            ))}
          </ul>
        )}
        {deductions.length > 0 ? (
          <button type="button" className="mt-1 w-full text-center text-[11px] text-accent hover:underline" onClick={() => setExplaining(true)}>
            How is this counted?
          </button>
        ) : null}
      </div>
      {explaining ? <HealthBreakdownDialog score={score} deductions={deductions} onClose={() => setExplaining(false)} /> : null}
    </div>
  );
}
