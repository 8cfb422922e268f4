'use client';

import Link from 'next/link';
import { withHostScope } from '@/lib/fleet/host-scope';
import { scopedDefenseLabel, scopedDefenseMode, scopedDefenseTitle, type ScopedDefenseMode } from '@/lib/fleet/scoped-defense-mode';
import { useHostScope } from '../fleet/use-host-scope';
import { useDefenseQuery } from '../queries/use-defense-query';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
import { Badge } from '../ui/badge';
import { cn } from '../ui/cn';
import { MODE_TONE } from './defense-style';

function scopeAttribute(reading: ScopedDefenseMode): string {
  if (reading.kind === 'host') return `host:${reading.hostId}`;
  return reading.kind === 'fleet' ? 'fleet' : 'own';
}

/**
 * "on web1" / "on 2 of 5", and "(last)" for a disconnected host's last report. On a phone a second,
 * smaller line under the mode: the bar has no width to spare, and the mode itself is never cut.
 */
function Where({ reading }: { reading: ScopedDefenseMode }) {
  const { where } = scopedDefenseLabel(reading);
  if (where === null) return null;
  const short = reading.kind === 'fleet' ? `${reading.count}/${reading.total}` : where;
  const away = reading.kind === 'host' && reading.away !== null;
  return (
    <span className="flex max-w-18 min-w-0 items-center gap-1 text-[10px] font-normal sm:max-w-none sm:text-xs" data-testid="defense-mode-where">
      <span className="hidden sm:inline">on</span>
      <span className="hidden max-w-40 truncate sm:inline" data-testid="defense-mode-where-long">
        {where}
      </span>
      <span className="min-w-0 truncate sm:hidden" data-testid="defense-mode-where-short">
        {short}
      </span>
      {away ? <span>(last)</span> : null}
    </span>
  );
}

/**
 * The defense mode in the top bar, so LOCKDOWN is visible from every page: of the host the page
 * is scoped to (`?host=`), named, or summed over all hosts, never this console's own mode under
 * another host's page.
 */
export function DefenseModeIndicator() {
  const { data } = useDefenseQuery();
  const hosts = useFleetHostsQuery();
  const scope = useHostScope();
  const reading = scopedDefenseMode({ scope, ownMode: data?.mode ?? null, hosts: hosts.data });
  if (!reading) return null;
  const { mode } = scopedDefenseLabel(reading);
  const away = reading.kind === 'host' && reading.away !== null;
  const words = (
    <span className="flex flex-col items-start leading-none sm:flex-row sm:items-center sm:gap-1 sm:leading-normal">
      <span>
        <span className="hidden sm:inline">defense</span> {mode}
      </span>
      <Where reading={reading} />
    </span>
  );
  return (
    <Link
      href={withHostScope('/defense', scope)}
      title={scopedDefenseTitle(reading)}
      aria-label={scopedDefenseTitle(reading)}
      className="min-w-0"
      data-testid="defense-mode-indicator"
      data-mode={reading.mode ?? 'unknown'}
      data-scope={scopeAttribute(reading)}
    >
      {reading.mode === 'LOCKDOWN' ? (
        // Solid and still, its own colours rather than the crit tone's (which would win over them):
        // a pulsing pale badge was unreadable; the banner under the bar says the rest.
        <span
          className={cn(
            'inline-flex items-center gap-1 rounded border border-[#450a0a] bg-[#7f1d1d] px-1.5 py-0.5 text-xs font-semibold tracking-wide whitespace-nowrap text-white',
            away && 'border-dashed',
          )}
        >
          {words}
        </span>
      ) : (
        <Badge tone={reading.mode ? MODE_TONE[reading.mode] : 'neutral'} className={cn('font-semibold tracking-wide', away && 'border-dashed')}>
          {words}
        </Badge>
      )}
    </Link>
  );
}
