import type { DefenseMode } from '../defense/defense-types';
// Types only: the fleet's wire schemas pull in server-side modules this badge's browser code must not.
import type { HostView } from './fleet-api';

/** Worst first: the summary of several hosts names the most severe mode any of them is in. */
const SEVERITY: readonly DefenseMode[] = ['LOCKDOWN', 'ELEVATED', 'NORMAL'];

/** What the top bar's defense badge says for the page's host scope. */
export type ScopedDefenseMode =
  /** This console alone (no other host enrolled, or the fleet not known yet): its own live mode, as before there was a fleet. */
  | { kind: 'own'; mode: DefenseMode }
  /**
   * One host, named: the console's live mode for host 1, otherwise the mode of the host's last
   * heartbeat (null before its first, or for a host the console does not know). `away` is when
   * its connection dropped: the mode is the last one it reported, not necessarily today's.
   */
  | { kind: 'host'; hostId: number; name: string; mode: DefenseMode | null; away: string | null }
  /**
   * All hosts: the most severe mode among them and on how many of `total` (unrevoked) hosts it is.
   * Hosts that never reported count in `total` but in no mode; `away` hosts count with their last report.
   */
  | { kind: 'fleet'; mode: DefenseMode; count: number; total: number; unreported: number; away: number };

function asDefenseMode(value: string | null): DefenseMode | null {
  return (SEVERITY as readonly string[]).includes(value ?? '') ? (value as DefenseMode) : null;
}

/**
 * The badge's reading. `ownMode` is the console's live mode (fresher than host 1's row, which is
 * written from the same reading at each heartbeat); `hosts` is the fleet as the console knows it.
 */
export function scopedDefenseMode({
  scope,
  ownMode,
  hosts,
}: {
  scope: number | null;
  ownMode: DefenseMode | null;
  hosts: readonly HostView[] | undefined;
}): ScopedDefenseMode | null {
  const modeOf = (host: HostView) => (host.id === 1 ? (ownMode ?? asDefenseMode(host.defenseMode)) : asDefenseMode(host.defenseMode));
  if (scope !== null && (scope !== 1 || (hosts?.length ?? 0) > 1)) {
    const host = hosts?.find((candidate) => candidate.id === scope);
    // Never the console's own mode under another host's name: unknown until the list says otherwise.
    if (!host) return scope === 1 && ownMode ? { kind: 'own', mode: ownMode } : { kind: 'host', hostId: scope, name: `host ${scope}`, mode: null, away: null };
    return {
      kind: 'host',
      hostId: host.id,
      name: host.name,
      mode: modeOf(host),
      away: host.id === 1 || host.connected ? null : (host.disconnectedSince ?? host.lastSeen),
    };
  }
  const fleet = (hosts ?? []).filter((host) => host.revokedAt === null);
  if (fleet.length <= 1) return ownMode ? { kind: 'own', mode: ownMode } : null;
  const modes = fleet.map(modeOf);
  const mode = SEVERITY.find((candidate) => modes.includes(candidate));
  if (!mode) return ownMode ? { kind: 'own', mode: ownMode } : null;
  return {
    kind: 'fleet',
    mode,
    count: modes.filter((candidate) => candidate === mode).length,
    total: fleet.length,
    unreported: modes.filter((candidate) => candidate === null).length,
    away: fleet.filter((host) => host.id !== 1 && !host.connected).length,
  };
}

/** The badge's words: the mode, then where it holds ("on web1", "on 2 of 5", "on all 5"). */
export function scopedDefenseLabel(reading: ScopedDefenseMode): { mode: string; where: string | null } {
  if (reading.kind === 'own') return { mode: reading.mode, where: null };
  if (reading.kind === 'host') return { mode: reading.mode ?? 'unknown', where: reading.name };
  return { mode: reading.mode, where: reading.count === reading.total ? `all ${reading.total}` : `${reading.count} of ${reading.total}` };
}

/** The badge's tooltip: everything the short label leaves out. */
export function scopedDefenseTitle(reading: ScopedDefenseMode): string {
  if (reading.kind === 'own') return `Defense mode: ${reading.mode}`;
  if (reading.kind === 'host') {
    if (reading.mode === null) return `Defense mode of ${reading.name}: not reported yet`;
    const away = reading.away ? ` (its last report; disconnected since ${reading.away})` : '';
    return `Defense mode of ${reading.name}: ${reading.mode}${away}`;
  }
  const notes = [
    reading.away > 0 ? `${reading.away} disconnected, counted by their last report` : null,
    reading.unreported > 0 ? `${reading.unreported} not reported yet` : null,
  ].filter((note) => note !== null);
  return `Defense mode: ${reading.mode} on ${reading.count} of ${reading.total} hosts${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}
