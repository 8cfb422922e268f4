'use client';

import Link from 'next/link';
import { useDefenseQuery } from '../queries/use-defense-query';
import { Badge } from '../ui/badge';
import { cn } from '../ui/cn';
import { MODE_TONE } from './defense-style';

/** The defense mode in the top bar, so LOCKDOWN is visible from every page. */
export function DefenseModeIndicator() {
  const { data } = useDefenseQuery();
  if (!data) return null;
  const locked = data.mode === 'LOCKDOWN';
  return (
    <Link href="/defense" title={`Defense mode: ${data.mode}`} data-testid="defense-mode-indicator" data-mode={data.mode}>
      <Badge
        tone={MODE_TONE[data.mode]}
        // Solid and still: a pulsing pale badge was unreadable; the banner under the bar says the rest.
        className={cn('font-semibold tracking-wide', locked && 'border-[#450a0a] bg-[#7f1d1d] text-white')}
      >
        <span className="hidden sm:inline">defense</span> {data.mode}
      </Badge>
    </Link>
  );
}
