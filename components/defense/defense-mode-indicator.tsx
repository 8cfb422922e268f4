'use client';

import Link from 'next/link';
import { useDefenseQuery } from '../queries/use-defense-query';
import { Badge } from '../ui/badge';
import { MODE_TONE } from './defense-style';

/** The defense mode in the top bar, so LOCKDOWN is visible from every page. */
export function DefenseModeIndicator() {
  const { data } = useDefenseQuery();
  if (!data) return null;
  const locked = data.mode === 'LOCKDOWN';
  return (
    <Link href="/defense" title={`Defense mode: ${data.mode}`} data-testid="defense-mode-indicator" data-mode={data.mode}>
      {locked ? (
        // Solid and still, its own colours rather than the crit tone's (which would win over them):
        // a pulsing pale badge was unreadable; the banner under the bar says the rest.
        <span className="inline-flex items-center gap-1 rounded border border-[#450a0a] bg-[#7f1d1d] px-1.5 py-0.5 text-xs font-semibold tracking-wide whitespace-nowrap text-white">
          <span className="hidden sm:inline">defense</span> {data.mode}
        </span>
      ) : (
        <Badge tone={MODE_TONE[data.mode]} className="font-semibold tracking-wide">
          <span className="hidden sm:inline">defense</span> {data.mode}
        </Badge>
      )}
    </Link>
  );
}
