'use client';

import { canAdminister, type Principal } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import { LOCKDOWN_READ_ONLY_MESSAGE } from '@/lib/defense/lockdown-policy';
import { useDefenseQuery } from '../queries/use-defense-query';

/** Above every page while LOCKDOWN holds, saying why buttons are refused and who can lift it. */
export function LockdownBanner({ principal }: { principal: Principal }) {
  const { data } = useDefenseQuery();
  if (data?.mode !== 'LOCKDOWN') return null;
  const lockdown = data.lockdown;
  return (
    <div role="alert" data-testid="lockdown-banner" className="mb-4 rounded-md border border-crit/60 bg-crit/15 px-4 py-3 text-sm text-crit">
      <strong className="font-semibold">LOCKDOWN.</strong>{' '}
      {lockdown ? (
        <>
          Engaged by {lockdown.actor} {formatRelative(lockdown.since)}: “{lockdown.reason}”
          {lockdown.expiresAt ? `; ends by itself at ${new Date(lockdown.expiresAt).toLocaleString([], { hourCycle: 'h23' })}` : '; until lifted'}.{' '}
        </>
      ) : null}
      {LOCKDOWN_READ_ONLY_MESSAGE}{' '}
      {canAdminister(principal)
        ? 'As an administrator you can still act, and lift it from the defense panel.'
        : 'You are read-only until an administrator lifts it.'}
    </div>
  );
}
