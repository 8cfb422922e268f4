'use client';

import Link from 'next/link';
import { canAdminister, type Principal } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import { LOCKDOWN_READ_ONLY_MESSAGE } from '@/lib/defense/lockdown-policy';
import { useDefenseQuery } from '../queries/use-defense-query';
import { LockdownControl } from './lockdown-control';

/**
 * Across every page while LOCKDOWN holds: solid dark red with white text in both themes
 * (contrast above 8:1), never pulsing, sticky under the top bar, and saying how to lift it.
 */
export function LockdownBanner({ principal }: { principal: Principal }) {
  const { data } = useDefenseQuery();
  if (data?.mode !== 'LOCKDOWN') return null;
  const lockdown = data.lockdown;
  const admin = canAdminister(principal);
  return (
    <div
      role="alert"
      data-testid="lockdown-banner"
      className="mb-4 flex flex-col gap-2 rounded-md border-2 border-[#450a0a] bg-[#7f1d1d] px-4 py-3 text-sm text-white sm:flex-row sm:items-center"
    >
      <p className="min-w-0 flex-1">
        <strong className="font-bold tracking-wide">LOCKDOWN</strong>{' '}
        {lockdown ? (
          <>
            engaged by {lockdown.actor} {formatRelative(lockdown.since)}: “{lockdown.reason}”
            {lockdown.expiresAt ? `; ends by itself at ${new Date(lockdown.expiresAt).toLocaleString([], { hourCycle: 'h23' })}` : '; until lifted'}.{' '}
          </>
        ) : null}
        {LOCKDOWN_READ_ONLY_MESSAGE} {admin ? 'To lift it, press “Lift lockdown” and give a reason.' : 'You are read-only until an administrator lifts it.'}{' '}
        <Link href="/defense" className="font-semibold text-white underline underline-offset-2">
          Defense mode and lockdown
        </Link>
      </p>
      {admin ? (
        <div className="shrink-0 [&_button]:border-white [&_button]:bg-white [&_button]:text-[#7f1d1d]">
          <LockdownControl overview={data} testIdPrefix="banner-" />
        </div>
      ) : null}
    </div>
  );
}
