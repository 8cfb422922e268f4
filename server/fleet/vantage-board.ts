import type { FindingKind } from '@/lib/healing/diagnosis';
import type { VantagePointView, VantageSummary } from '@/lib/healing/vantage-schema';
import type { ProbeResult } from '../healing/probes/probe-result';

export interface VantageVote {
  status: 'up' | 'down' | 'inconclusive';
  latencyMs: number | null;
  error: string | null;
  kind: FindingKind | null;
  /** When the console received it: an agent's clock does not decide what is fresh. */
  receivedAt: number;
  /** The agent's own stamp, only to tell a replay from a newer answer. */
  sentAt: number;
}

/** Every vantage point's last answer to every module, and the quorum's reading of them. */
export class VantageBoard {
  private readonly votes = new Map<string, Map<number, VantageVote>>();

  /** False for an answer no newer than the one held (a replay, or one overtaken on the way). */
  record(module: string, hostId: number, vote: VantageVote): boolean {
    let byHost = this.votes.get(module);
    if (!byHost) this.votes.set(module, (byHost = new Map()));
    const held = byHost.get(hostId);
    if (held && held.sentAt >= vote.sentAt) return false;
    byHost.set(hostId, vote);
    return true;
  }

  /** A disconnected vantage point has no vote until it answers again. */
  forgetHost(hostId: number): void {
    for (const byHost of this.votes.values()) byHost.delete(hostId);
  }

  forgetModulesBut(keep: ReadonlySet<string>): void {
    for (const name of this.votes.keys()) if (!keep.has(name)) this.votes.delete(name);
  }

  /** The vantage points of `module` and the quorum's verdict; a vote older than `staleMs` is unknown, never down. */
  summary(module: string, points: readonly { hostId: number; name: string }[], quorum: number, staleMs: number, now: number): VantageSummary {
    const byHost = this.votes.get(module);
    const views: VantagePointView[] = points.map(({ hostId, name }) => {
      const vote = byHost?.get(hostId);
      const fresh = vote && now - vote.receivedAt <= staleMs;
      return {
        hostId,
        name,
        status: fresh ? vote.status : 'unknown',
        latencyMs: fresh ? vote.latencyMs : null,
        error: fresh ? vote.error : null,
        at: vote ? new Date(vote.receivedAt).toISOString() : null,
      };
    });
    // A quorum larger than the points a label selects is met when all of them see it down.
    const needed = Math.max(1, Math.min(quorum, views.length));
    const down = views.filter((view) => view.status === 'down').length;
    const up = views.filter((view) => view.status === 'up').length;
    const verdict = down >= needed && down > 0 ? 'down' : down > 0 ? 'partial' : up > 0 ? 'up' : 'unknown';
    return { verdict, quorum: needed, decidedAt: new Date(now).toISOString(), points: views };
  }

  /** The finding kind most of the down votes name (a refused connection, a timeout…), for the incident's diagnosis. */
  downKind(module: string, hostIds: readonly number[]): FindingKind {
    const counts = new Map<FindingKind, number>();
    for (const hostId of hostIds) {
      const kind = this.votes.get(module)?.get(hostId)?.kind;
      if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'probe_failed';
  }
}

const names = (summary: VantageSummary, status: VantagePointView['status']) =>
  summary.points.filter((point) => point.status === status).map((point) => point.name);

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

/** The quorum's verdict as one probe answer of the module: failed only when the quorum sees it down. */
export function verdictAsProbe(summary: VantageSummary, downKind: FindingKind): ProbeResult {
  const down = names(summary, 'down');
  const of = `${down.length} of ${summary.points.length}, quorum ${summary.quorum}`;
  const latencyMs = median(summary.points.filter((point) => point.status === 'up' && point.latencyMs !== null).map((point) => point.latencyMs!));
  const errors = summary.points.filter((point) => point.status === 'down' && point.error).map((point) => `${point.name}: ${point.error}`);
  switch (summary.verdict) {
    case 'down': {
      const message = `down from ${down.join(', ')} (${of})`;
      return {
        ok: false,
        latencyMs: null,
        message,
        vantage: summary,
        finding: {
          kind: downKind,
          message: `${message}${errors.length ? `; ${errors.join('; ')}` : ''}`.slice(0, 500),
          evidence: { vantageDown: down.join(',') },
        },
      };
    }
    case 'partial':
      return { ok: true, latencyMs, message: `degraded: down from ${down.join(', ')} (${of})`, vantage: summary };
    case 'up':
      return { ok: true, latencyMs, message: `up from ${names(summary, 'up').length} of ${summary.points.length} vantage points`, vantage: summary };
    case 'unknown':
      return { ok: true, latencyMs: null, message: 'no vantage point answered in the last two intervals', vantage: summary };
  }
}
