// How a live event changes the dashboard's copy of the defense overview, without a refetch.
import type { DefenseDecisionChange, DefenseModeChange, DefenseOverview, DefenseThreat } from './defense-types';
import { addThreatMinute } from './threat-stats';

/** The overview carries the newest 100 threats; the feed keeps the same length. */
const FEED_LENGTH = 100;

export function withThreat(overview: DefenseOverview, threat: DefenseThreat): DefenseOverview {
  if (overview.threats.some((t) => t.id === threat.id)) return overview;
  return {
    ...overview,
    threats: [threat, ...overview.threats].slice(0, FEED_LENGTH),
    threatCounts: { ...overview.threatCounts, [threat.level]: overview.threatCounts[threat.level] + 1 },
    threatsPerMinute: addThreatMinute(overview.threatsPerMinute, threat),
  };
}

export function withDecision(overview: DefenseOverview, { change, decision }: DefenseDecisionChange): DefenseOverview {
  const others = overview.isolations.filter((d) => d.source !== decision.source);
  const isolations = change === 'isolated' ? [decision, ...others] : others;
  return { ...overview, isolations, isolationCount: Math.max(0, overview.isolationCount + isolations.length - overview.isolations.length) };
}

export const withMode = (overview: DefenseOverview, change: DefenseModeChange): DefenseOverview => ({
  ...overview,
  mode: change.to,
  lockdown: change.lockdown,
});
