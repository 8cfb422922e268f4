import type { DefenseDecision } from '@/lib/defense/defense-types';
import type { Blocklist } from './blocklist';

/** One decision as CrowdSec's local API hands it to bouncers. */
export interface BouncerDecision {
  id: number;
  origin: string;
  type: 'ban';
  scope: 'Ip' | 'Range';
  value: string;
  /** Go duration text, e.g. `3h59m12s`; indefinite bans say ten years. */
  duration: string;
  scenario: string;
}

export interface DecisionDelta {
  new: BouncerDecision[];
  deleted: BouncerDecision[];
}

const TEN_YEARS_HOURS = 87_600;

export function goDuration(ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}h${m}m${s}s`;
}

export function toBouncerDecision(decision: DefenseDecision, now: number): BouncerDecision {
  return {
    id: decision.id,
    origin: decision.origin === 'auto' ? 'vigil' : 'vigil-manual',
    type: 'ban',
    scope: decision.scope === 'ip' ? 'Ip' : 'Range',
    value: decision.source,
    duration: decision.expiresAt === null ? `${TEN_YEARS_HOURS}h0m0s` : goDuration(Date.parse(decision.expiresAt) - now),
    scenario: decision.scenario ?? decision.reason,
  };
}

/**
 * `GET /decisions/stream` semantics: `startup=true` (or a bouncer not seen before, or one
 * that fell behind the change log) gets every decision in force; afterwards each poll gets
 * what was added and removed since that bouncer's previous poll.
 */
export class DecisionStream {
  private readonly cursors = new Map<string, number>();

  /** `lists`: decisions of another origin (imported IP lists) that bouncers get in the same answer. */
  constructor(private readonly blocklist: Blocklist, private readonly lists?: { poll(bouncer: string, startup: boolean, now: number): DecisionDelta }) {}

  poll(bouncer: string, startup: boolean, now = Date.now()): DecisionDelta {
    const isolations = this.pollIsolations(bouncer, startup, now);
    const listed = this.lists?.poll(bouncer, startup, now);
    return listed ? { new: [...isolations.new, ...listed.new], deleted: [...isolations.deleted, ...listed.deleted] } : isolations;
  }

  private pollIsolations(bouncer: string, startup: boolean, now: number): DecisionDelta {
    const cursor = this.cursors.get(bouncer);
    const changes = startup || cursor === undefined ? null : this.blocklist.changesSince(cursor);
    this.cursors.set(bouncer, this.blocklist.headSeq);
    if (changes === null) {
      return { new: this.blocklist.active().filter((d) => isLive(d, now)).map((d) => toBouncerDecision(d, now)), deleted: [] };
    }
    // Collapse repeated changes of one source: only its latest state matters to a bouncer.
    const latest = new Map<number, { op: 'new' | 'deleted'; decision: DefenseDecision }>();
    for (const change of changes) latest.set(change.decision.id, change);
    const added: BouncerDecision[] = [];
    const deleted: BouncerDecision[] = [];
    for (const { op, decision } of latest.values()) {
      if (op === 'new' && isLive(decision, now)) added.push(toBouncerDecision(decision, now));
      else if (op === 'deleted') deleted.push(toBouncerDecision(decision, now));
    }
    return { new: added, deleted };
  }
}

const isLive = (d: DefenseDecision, now: number) => d.expiresAt === null || Date.parse(d.expiresAt) > now;
