'use client';

import { canAdminister, type Principal } from '@/lib/auth/roles';
import type { DefenseOverview } from '@/lib/defense/defense-types';
import { formatDuration, formatRelative } from '@/lib/format';
import { TONE_FILL, TONE_TEXT } from '../ui/badge';
import { cn } from '../ui/cn';
import { Fact } from '../ui/fact';
import { Panel } from '../ui/panel';
import { MODE_MEANING, MODE_TONE } from './defense-style';
import { LockdownControl } from './lockdown-control';

/** NORMAL / ELEVATED / LOCKDOWN, what it means now, and the lockdown switch for administrators. */
export function DefenseModePanel({
  overview,
  principal,
  now,
  className,
}: {
  overview: DefenseOverview;
  principal: Principal;
  now: number;
  className?: string;
}) {
  const tone = MODE_TONE[overview.mode];
  const lockdown = overview.lockdown;
  const serious = overview.threatCounts.high + overview.threatCounts.critical;
  return (
    <Panel
      title="Defense mode"
      className={className}
      testId="panel-defense-mode"
      actions={canAdminister(principal) ? <LockdownControl overview={overview} /> : null}
    >
      <div className="flex items-center gap-3">
        <span className={cn('h-3 w-3 shrink-0 rounded-full', TONE_FILL[tone], overview.mode !== 'NORMAL' && 'motion-safe:animate-pulse')} aria-hidden />
        <span className={cn('text-3xl font-bold tracking-tight', TONE_TEXT[tone])} data-testid="defense-mode">
          {overview.mode}
        </span>
      </div>
      <p className="mt-1 text-sm text-muted">{MODE_MEANING[overview.mode]}</p>
      {lockdown ? (
        <p className="mt-2 text-xs text-muted" data-testid="lockdown-details">
          By {lockdown.actor} {formatRelative(lockdown.since, now)}: “{lockdown.reason}”.{' '}
          {lockdown.expiresAt ? `Ends in ${formatDuration((Date.parse(lockdown.expiresAt) - now) / 1000)}.` : 'Until lifted.'}
        </p>
      ) : null}
      <dl className="mt-4 grid grid-cols-2 gap-3 border-t border-border pt-3 sm:grid-cols-4">
        <Fact label="Isolated" value={overview.isolationCount.toLocaleString()} testId="isolation-count" />
        <Fact label="Threats, 1 h" value={(serious + overview.threatCounts.medium).toLocaleString()} />
        <Fact label="Guard checks" value={overview.guard.checks.toLocaleString()} />
        <Fact label="Denied" value={overview.guard.denied.toLocaleString()} />
      </dl>
    </Panel>
  );
}
