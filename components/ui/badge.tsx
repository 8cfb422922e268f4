import type { ReactNode } from 'react';
import { cn } from './cn';

export type Tone = 'ok' | 'warn' | 'orange' | 'bad' | 'crit' | 'neutral' | 'accent';

const TONES: Record<Tone, string> = {
  ok: 'text-ok border-ok/40 bg-ok/10',
  warn: 'text-warn border-warn/40 bg-warn/10',
  orange: 'text-orange border-orange/40 bg-orange/10',
  bad: 'text-bad border-bad/40 bg-bad/10',
  crit: 'text-crit border-crit/50 bg-crit/15',
  neutral: 'text-muted border-border bg-surface-2',
  accent: 'text-accent border-accent/40 bg-accent/10',
};

export function Badge({ tone = 'neutral', children, className, testId }: { tone?: Tone; children: ReactNode; className?: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={cn('inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap', TONES[tone], className)}
    >
      {children}
    </span>
  );
}

export const TONE_TEXT: Record<Tone, string> = {
  ok: 'text-ok',
  warn: 'text-warn',
  orange: 'text-orange',
  bad: 'text-bad',
  crit: 'text-crit',
  neutral: 'text-muted',
  accent: 'text-accent',
};

export const TONE_FILL: Record<Tone, string> = {
  ok: 'bg-ok',
  warn: 'bg-warn',
  orange: 'bg-orange',
  bad: 'bg-bad',
  crit: 'bg-crit',
  neutral: 'bg-faint',
  accent: 'bg-accent',
};
