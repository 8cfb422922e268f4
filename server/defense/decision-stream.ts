import type { DefenseDecision } from '@/lib/defense/defense-types';
import type { Blocklist, DecisionLogEntry } from './blocklist';

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

interface Cursor {
  seq: number;
  /** How many decisions (new and deleted) its latest poll handed over. */
  delivered: number;
}

/**
 * `GET /decisions/stream` semantics: `startup=true` (or a bouncer not seen before, or one
 * that fell behind the change log) gets every decision in force; afterwards each poll gets
 * what was added and removed since that bouncer's previous poll.
 *
 * A delta poll costs a binary search in the change log and the changes themselves. The full
 * list is built once per change and SNAPSHOT_MS and shared by every bouncer that starts
 * meanwhile, so fifty bouncers restarting together do not each copy every decision. Its
 * durations may then run up to that long: harmless, since every decision's end still reaches
 * the bouncers as a deletion when it expires.
 */
export class DecisionStream {
  private readonly cursors = new Map<string, Cursor>();
  private snapshot: { seq: number; builtAt: number; decisions: BouncerDecision[]; json: string | null } | null = null;

  /** `lists`: decisions of another origin (imported IP lists) that bouncers get in the same answer. */
  constructor(
    private readonly blocklist: Blocklist,
    private readonly lists?: { poll(bouncer: string, startup: boolean, now: number): DecisionDelta },
  ) {}

  /** What the latest poll of this bouncer (its token id) handed over; 0 before its first. */
  lastDelivered(bouncer: string): number {
    return this.cursors.get(bouncer)?.delivered ?? 0;
  }

  /**
   * The poll's answer as JSON text, for the route: the full list is serialised once per
   * snapshot (twelve megabytes at 100,000 decisions), an empty delta is a constant.
   */
  pollJson(bouncer: string, startup: boolean, now = Date.now()): string {
    const { isolations, listed } = this.pollParts(bouncer, startup, now);
    if (listed.new.length > 0 || listed.deleted.length > 0) return JSON.stringify(merge(isolations, listed));
    if (isolations.new.length === 0 && isolations.deleted.length === 0) return EMPTY_DELTA;
    const snapshot = this.snapshot;
    if (snapshot && isolations.new === snapshot.decisions) return (snapshot.json ??= JSON.stringify(isolations));
    return JSON.stringify(isolations);
  }

  poll(bouncer: string, startup: boolean, now = Date.now()): DecisionDelta {
    const { isolations, listed } = this.pollParts(bouncer, startup, now);
    return listed.new.length > 0 || listed.deleted.length > 0 ? merge(isolations, listed) : isolations;
  }

  /** Isolations and imported lists, each since this bouncer's previous poll; both counted as delivered. */
  private pollParts(bouncer: string, startup: boolean, now: number): { isolations: DecisionDelta; listed: DecisionDelta } {
    const isolations = this.pollIsolations(bouncer, startup, now);
    const listed = this.lists?.poll(bouncer, startup, now) ?? NOTHING;
    const cursor = this.cursors.get(bouncer);
    if (cursor) cursor.delivered += listed.new.length + listed.deleted.length;
    return { isolations, listed };
  }

  private pollIsolations(bouncer: string, startup: boolean, now: number): DecisionDelta {
    const cursor = this.cursors.get(bouncer);
    // Nothing changed since this bouncer's previous poll, the usual case: the shared empty answer.
    if (!startup && cursor?.seq === this.blocklist.headSeq) {
      cursor.delivered = 0;
      return NOTHING;
    }
    const changes = startup || cursor === undefined ? null : this.blocklist.changesSince(cursor.seq);
    const answer = changes === null ? { new: this.fullList(now), deleted: [] } : collapse(changes, now);
    const delivered = answer.new.length + answer.deleted.length;
    // Updated in place: fifty bouncers pulling every second need no new object each time.
    if (cursor) {
      cursor.seq = this.blocklist.headSeq;
      cursor.delivered = delivered;
    } else this.cursors.set(bouncer, { seq: this.blocklist.headSeq, delivered });
    return answer;
  }

  private fullList(now: number): BouncerDecision[] {
    const seq = this.blocklist.headSeq;
    if (this.snapshot?.seq !== seq || now - this.snapshot.builtAt >= SNAPSHOT_MS || now < this.snapshot.builtAt) {
      const decisions: BouncerDecision[] = [];
      for (const decision of this.blocklist.active()) if (isLive(decision, now)) decisions.push(toBouncerDecision(decision, now));
      this.snapshot = { seq, builtAt: now, decisions, json: null };
    }
    return this.snapshot.decisions;
  }
}

const NOTHING: DecisionDelta = { new: [], deleted: [] };
const EMPTY_DELTA = JSON.stringify(NOTHING);

/** How long a full list is shared (100,000 decisions take about a second to build and serialise under load). */
const SNAPSHOT_MS = 10_000;

const merge = (a: DecisionDelta, b: DecisionDelta): DecisionDelta => ({ new: [...a.new, ...b.new], deleted: [...a.deleted, ...b.deleted] });

/** Repeated changes of one decision count once: only its latest state matters to a bouncer. */
function collapse(changes: DecisionLogEntry[], now: number): DecisionDelta {
  if (changes.length === 0) return { new: [], deleted: [] };
  const latest = new Map<number, DecisionLogEntry>();
  for (const change of changes) latest.set(change.decision.id, change);
  const added: BouncerDecision[] = [];
  const deleted: BouncerDecision[] = [];
  for (const { op, decision } of latest.values()) {
    if (op === 'new' && isLive(decision, now)) added.push(toBouncerDecision(decision, now));
    else if (op === 'deleted') deleted.push(toBouncerDecision(decision, now));
  }
  return { new: added, deleted };
}

const isLive = (d: DefenseDecision, now: number) => d.expiresAt === null || Date.parse(d.expiresAt) > now;
