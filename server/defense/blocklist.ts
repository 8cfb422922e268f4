import type { DefenseDecision } from '@/lib/defense/defense-types';
import { parseSource, type ParsedSource } from '@/lib/defense/ip-prefix';
import { PrefixMap } from '@/lib/defense/prefix-map';
import { ExpiryHeap } from './expiry-heap';

interface Entry {
  decision: DefenseDecision;
  parsed: ParsedSource;
  /** Infinity for an indefinite ban; kept as a number so the guard compares without parsing. */
  expiresAtMs: number;
  /** Bouncers were told about it (a provisional entry, enforced while it is written, is not). */
  logged: boolean;
}

/** What a copy of the list elsewhere (the dedicated guard process) needs to follow it. */
export type BlocklistChange = { op: 'set'; source: string; expiresAtMs: number } | { op: 'delete'; source: string };

/** A stored decision read at start, its source parsed already. */
export interface LoadedDecision {
  decision: DefenseDecision;
  parsed: ParsedSource;
}

export interface DecisionLogEntry {
  seq: number;
  op: 'new' | 'deleted';
  decision: DefenseDecision;
}

/** Changes kept for bouncers that poll; one that falls further behind gets the full list again. */
const MAX_LOG = 200_000;

const inForce = (entry: Entry | undefined, now: number): DefenseDecision | undefined => (entry && entry.expiresAtMs > now ? entry.decision : undefined);

/** The decisions in force, in memory: what the guard consults on every request. */
export class Blocklist {
  private readonly map = new PrefixMap<Entry>();
  private readonly bySource = new Map<string, Entry>();
  private readonly expiries = new ExpiryHeap<Entry>();
  private log: DecisionLogEntry[] = [];
  private seq = 0;
  /** Told of every entry added or removed, whatever the kind. */
  watcher: ((change: BlocklistChange) => void) | null = null;

  get size(): number {
    return this.bySource.size;
  }

  get headSeq(): number {
    return this.seq;
  }

  /** The oldest change still in the log; a cursor before it has missed changes. */
  get oldestSeq(): number {
    return this.log.length > 0 ? this.log[0].seq : this.seq + 1;
  }

  /** Decisions read at start: not changes, so bouncers that poll later get them in their full list. */
  load(decisions: DefenseDecision[]): void {
    for (const decision of decisions) this.add(decision, 'loaded');
  }

  /** `load` for decisions whose sources the loader parsed already (to check them). */
  loadParsed(decisions: LoadedDecision[]): void {
    for (const { decision, parsed } of decisions) this.add(decision, 'loaded', parsed);
  }

  /**
   * Adds (or replaces) the decision for its source; returns the one it replaced. A 'loaded'
   * decision is in every bouncer's full list already; a 'provisional' one is enforced while
   * it is being stored and bouncers only ever hear of the stored one.
   */
  add(decision: DefenseDecision, kind: 'change' | 'loaded' | 'provisional' = 'change', parsed = parseSource(decision.source)): DefenseDecision | undefined {
    if (!parsed) throw new Error(`decision ${decision.id} names an invalid source`);
    const replaced = this.remove(decision.source);
    const entry: Entry = {
      decision,
      parsed,
      expiresAtMs: decision.expiresAt === null ? Infinity : Date.parse(decision.expiresAt),
      logged: kind !== 'provisional',
    };
    this.map.set(parsed, entry);
    this.bySource.set(decision.source, entry);
    if (entry.expiresAtMs !== Infinity) this.expiries.push(entry.expiresAtMs, entry);
    if (kind === 'change') this.record('new', decision);
    this.watcher?.({ op: 'set', source: decision.source, expiresAtMs: entry.expiresAtMs });
    return replaced;
  }

  remove(source: string): DefenseDecision | undefined {
    const entry = this.bySource.get(source);
    if (!entry) return undefined;
    this.bySource.delete(source);
    this.map.delete(entry.parsed);
    if (entry.logged) this.record('deleted', entry.decision);
    this.watcher?.({ op: 'delete', source });
    return entry.decision;
  }

  /** The decision covering this address, if one is in force at `now`. */
  match(address: string, now: number): DefenseDecision | undefined {
    return inForce(this.map.match(address), now);
  }

  /** `match` for an IPv4 address already parsed (`parseIpv4`). */
  matchIpv4(address: number, now: number): DefenseDecision | undefined {
    return inForce(this.map.matchIpv4(address), now);
  }

  /**
   * Makes the list exactly `decisions` (a standby catching up from the database): what
   * changed is recorded for bouncers, what is already here stays untouched.
   */
  reset(decisions: DefenseDecision[]): void {
    const wanted = new Map(decisions.map((d) => [d.source, d]));
    for (const [source, entry] of [...this.bySource]) if (wanted.get(source)?.id !== entry.decision.id) this.remove(source);
    for (const decision of decisions) if (this.bySource.get(decision.source)?.decision.id !== decision.id) this.add(decision);
  }

  get(source: string): DefenseDecision | undefined {
    return this.bySource.get(source)?.decision;
  }

  /** Removes and returns every decision whose time is up. */
  expire(now: number): DefenseDecision[] {
    const ended: DefenseDecision[] = [];
    for (const entry of this.expiries.popDue(now)) {
      // Replaced or restored since it was scheduled: nothing to end.
      if (this.bySource.get(entry.decision.source) !== entry) continue;
      ended.push(entry.decision);
      this.remove(entry.decision.source);
    }
    return ended;
  }

  active(): DefenseDecision[] {
    return Array.from(this.bySource.values(), (e) => e.decision);
  }

  /** Each decision's source and expiry (Infinity: none), without parsing its dates again. */
  forEachSource(visit: (source: string, expiresAtMs: number) => void): void {
    for (const [source, entry] of this.bySource) visit(source, entry.expiresAtMs);
  }

  /** Changes after `cursor`, oldest first; null when some were already dropped from the log. */
  changesSince(cursor: number): DecisionLogEntry[] | null {
    if (cursor + 1 < this.oldestSeq) return null;
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.log[mid].seq <= cursor) low = mid + 1;
      else high = mid;
    }
    return this.log.slice(low);
  }

  private record(op: DecisionLogEntry['op'], decision: DefenseDecision): void {
    this.log.push({ seq: ++this.seq, op, decision });
    if (this.log.length > MAX_LOG * 1.5) this.log = this.log.slice(-MAX_LOG);
  }
}
