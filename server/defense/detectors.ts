import type { SecuritySignal, SignalKind } from '@/lib/defense/signals';
import type { Scenario } from '@/lib/defense/defense-config';
import { canonicalIp, formatIpv4, maskIpv4, parseIpv4 } from '@/lib/defense/ip-prefix';

/**
 * A sliding-window counter: the current fixed window's count plus the previous one's,
 * weighted by how much of it still overlaps the sliding window. O(1) memory per key and
 * accurate to a few percent, so "100 requests/min" means 100 in any 60 s.
 */
interface Bucket {
  windowStart: number;
  current: number;
  previous: number;
  quietUntil: number;
  seen: Set<string> | null;
}

export interface Overflow {
  scenario: Scenario;
  key: string;
  /** The canonical address of the overflowing signal, or null when it had none. */
  source: string | null;
  count: number;
  signal: SecuritySignal;
}

/** Buckets per scenario are capped: past this, the emptiest are dropped rather than growing without bound. */
const MAX_BUCKETS_PER_SCENARIO = 200_000;

/**
 * A status says more than the kind: a request answered 404 is also a not_found, 5xx an error.
 * Only those extra kinds: the signal's own is poured first, without building a list per signal.
 */
function extraKindOf(signal: SecuritySignal): SignalKind | null {
  if (signal.status === 404 && signal.kind !== 'not_found') return 'not_found';
  if (signal.status !== undefined && signal.status >= 500 && signal.kind !== 'error') return 'error';
  return null;
}

/**
 * A bucket's key. An IPv4 address or /24 is its 32-bit number: with tens of thousands of
 * sources per scenario, a lookup that compares numbers instead of text is most of the cost
 * of counting a guard request.
 */
type BucketKey = string | number;

/** What a signal is counted as: its canonical address, and that address as a number when IPv4. */
interface Counted {
  signal: SecuritySignal;
  ip: string | null;
  v4: number | null;
  now: number;
  factor: number;
}

function groupKey(groupBy: Scenario['groupBy'], { signal, ip, v4 }: Counted): BucketKey | null {
  switch (groupBy) {
    case 'ip':
      return v4 ?? ip;
    case 'cidr24':
      return v4 === null ? null : v4 & CIDR24_MASK;
    case 'user':
      return signal.user ? signal.user.slice(0, 200) : null;
    case 'token':
      return signal.token ? signal.token.slice(0, 200) : null;
  }
}

const CIDR24_MASK = maskIpv4(0xffffffff, 24);

/** The key as threats and isolations name it: the address, or the range as `a.b.c.0/24`. */
function keyText(scenario: Scenario, key: BucketKey, ip: string | null): string {
  if (typeof key === 'string') return key;
  return scenario.groupBy === 'ip' ? ip! : `${formatIpv4(key >>> 0)}/24`;
}

class ScenarioBuckets {
  readonly buckets = new Map<BucketKey, Bucket>();
  /** All matching signals together, for `minShare`. */
  private readonly total: Bucket = { windowStart: 0, current: 0, previous: 0, quietUntil: 0, seen: null };
  private readonly windowMs: number;
  /*
   * The settings read per signal, copied into fields every runner has: scenarios parsed from the
   * config differ in which optional keys they carry, so reading them straight from the scenarios
   * is a lookup across many object shapes on each guard request.
   */
  readonly groupBy: Scenario['groupBy'];
  readonly capacity: number;
  readonly whenHost: Scenario['whenHost'] | null;
  private readonly distinct: boolean;
  private readonly minShare: number | null;
  private readonly blackholeMs: number;

  constructor(readonly scenario: Scenario) {
    this.windowMs = scenario.windowSeconds * 1000;
    this.groupBy = scenario.groupBy;
    this.capacity = scenario.capacity;
    this.whenHost = scenario.whenHost ?? null;
    this.distinct = scenario.distinct !== undefined;
    this.minShare = scenario.minShare ?? null;
    this.blackholeMs = scenario.blackholeSeconds * 1000;
  }

  /** Rolls the fixed windows forward and returns the sliding count before this signal. */
  private count(bucket: Bucket, now: number): number {
    const windowStart = now - (now % this.windowMs);
    if (windowStart !== bucket.windowStart) {
      bucket.previous = windowStart - bucket.windowStart === this.windowMs ? bucket.current : 0;
      bucket.current = 0;
      bucket.windowStart = windowStart;
      bucket.seen?.clear();
    }
    return bucket.previous * (1 - (now - windowStart) / this.windowMs) + bucket.current;
  }

  pour(key: BucketKey, signal: SecuritySignal, now: number, capacity: number): number | null {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS_PER_SCENARIO) {
        this.cursor = null;
        this.sweep(now);
      }
      bucket = { windowStart: now - (now % this.windowMs), current: 0, previous: 0, quietUntil: 0, seen: this.distinct ? new Set() : null };
      this.buckets.set(key, bucket);
    }
    const before = this.count(bucket, now);
    if (bucket.seen) {
      const value = signal.path ?? '';
      if (bucket.seen.has(value)) return null;
      bucket.seen.add(value);
    }
    bucket.current += 1;
    const level = before + 1;
    let share = 1;
    if (this.minShare !== null) {
      share = level / (this.count(this.total, now) + 1);
      this.total.current += 1;
    }
    // A hair of tolerance: the weighted previous window makes the count fractional.
    if (level < capacity - 1e-9 || now < bucket.quietUntil) return null;
    if (this.minShare !== null && share < this.minShare) return null;
    bucket.quietUntil = now + this.blackholeMs;
    // Counting starts over after a threat, so the next one needs a full window's worth again.
    bucket.current = 0;
    bucket.previous = 0;
    bucket.seen?.clear();
    return Math.round(level);
  }

  private cursor: Iterator<[BucketKey, Bucket]> | null = null;

  /**
   * Drops buckets with nothing in the sliding window and out of their quiet time, visiting
   * at most `budget` of them and carrying on from there next time: a full pass over a
   * few hundred thousand buckets at once would stall the guard for milliseconds.
   */
  sweep(now: number, budget = Infinity): void {
    this.cursor ??= this.buckets.entries();
    for (let visited = 0; visited < budget; visited++) {
      const next = this.cursor.next();
      if (next.done) {
        this.cursor = null;
        return;
      }
      const [key, bucket] = next.value;
      if (this.count(bucket, now) === 0 && bucket.quietUntil <= now) this.buckets.delete(key);
    }
  }
}

/**
 * Every scenario's buckets. `observe` is on the guard's hot path: a few Map lookups and
 * arithmetic per matching scenario, no allocation beyond a new bucket.
 */
export class Detectors {
  private runners: ScenarioBuckets[] = [];
  private byKind = new Map<SignalKind, ScenarioBuckets[]>();

  constructor(
    scenarios: Scenario[],
    /** Multiplies every capacity (ELEVATED tightens thresholds). */
    private readonly capacityFactor: () => number,
    /** The host's pressure now, for scenarios that count only during a spike. */
    private readonly host: () => { cpuPercent: number; memoryPercent: number } = () => ({ cpuPercent: 0, memoryPercent: 0 }),
  ) {
    this.configure(scenarios);
  }

  /** A reload keeps the buckets of scenarios whose definition did not change. */
  configure(scenarios: Scenario[]): void {
    const previous = new Map(this.runners.map((r) => [JSON.stringify(r.scenario), r]));
    this.runners = scenarios.map((s) => previous.get(JSON.stringify(s)) ?? new ScenarioBuckets(s));
    this.byKind = new Map();
    for (const runner of this.runners) {
      for (const kind of runner.scenario.kinds) this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), runner]);
    }
  }

  observe(signal: SecuritySignal, now = signal.at): Overflow[] {
    const ip = signal.source ? canonicalIp(signal.source) : null;
    const counted: Counted = { signal, ip, v4: ip === null ? null : parseIpv4(ip), now, factor: this.capacityFactor() };
    let overflows = this.pourKind(signal.kind, counted, null);
    const extra = extraKindOf(signal);
    if (extra !== null) overflows = this.pourKind(extra, counted, overflows);
    return overflows ?? NO_OVERFLOWS;
  }

  private pourKind(kind: SignalKind, counted: Counted, found: Overflow[] | null): Overflow[] | null {
    const runners = this.byKind.get(kind);
    if (!runners) return found;
    let overflows = found;
    for (const runner of runners) {
      if (runner.whenHost && !this.underPressure(runner.whenHost)) continue;
      const key = groupKey(runner.groupBy, counted);
      if (key === null) continue;
      const capacity = Math.max(1, Math.ceil(runner.capacity * counted.factor));
      const count = runner.pour(key, counted.signal, counted.now, capacity);
      if (count !== null)
        (overflows ??= []).push({
          scenario: runner.scenario,
          key: keyText(runner.scenario, key, counted.ip),
          source: counted.ip,
          count,
          signal: counted.signal,
        });
    }
    return overflows;
  }

  private underPressure(limits: NonNullable<Scenario['whenHost']>): boolean {
    const host = this.host();
    return (
      (limits.cpuPercent !== undefined && host.cpuPercent >= limits.cpuPercent) ||
      (limits.memoryPercent !== undefined && host.memoryPercent >= limits.memoryPercent)
    );
  }

  /** `budget` buckets per scenario at most (see ScenarioBuckets.sweep). */
  sweep(now = Date.now(), budget = Infinity): void {
    for (const runner of this.runners) runner.sweep(now, budget);
  }

  bucketCount(): number {
    return this.runners.reduce((sum, r) => sum + r.buckets.size, 0);
  }
}

const NO_OVERFLOWS: Overflow[] = [];
