import type { SecuritySignal, SignalKind } from '@/lib/defense/signals';
import type { Scenario } from '@/lib/defense/defense-config';
import { canonicalIp, formatIpv4, maskIpv4, parseIpv4 } from '@/lib/defense/ip-prefix';
import { MAX_SLOTS, SlotIndex, type SlotKey, type WindowCounters } from './source-slots';

export interface Overflow {
  scenario: Scenario;
  key: string;
  /** The canonical address of the overflowing signal, or null when it had none. */
  source: string | null;
  count: number;
  signal: SecuritySignal;
}

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
 * The key a scenario counts a signal under. An IPv4 address or /24 is its signed 32-bit number:
 * with tens of thousands of sources, a lookup that compares small integers instead of text is
 * most of the cost of counting a guard request.
 */
function groupKey(groupBy: Scenario['groupBy'], signal: SecuritySignal, ip: string | null, v4: number | null): SlotKey | null {
  switch (groupBy) {
    case 'ip':
      return v4 === null ? ip : v4 | 0;
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
function keyText(scenario: Scenario, key: SlotKey, ip: string | null): string {
  if (typeof key === 'string') return key;
  return scenario.groupBy === 'ip' ? ip! : `${formatIpv4(key >>> 0)}/24`;
}

/** What `minShare` compares against: all signals matching the scenario, one sliding window. */
interface Total {
  windowStart: number;
  current: number;
  previous: number;
}

class ScenarioRunner {
  readonly counters: WindowCounters;
  /** All matching signals together, for `minShare`. */
  private readonly total: Total = { windowStart: 0, current: 0, previous: 0 };
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

  constructor(
    readonly scenario: Scenario,
    readonly index: SlotIndex,
  ) {
    this.windowMs = scenario.windowSeconds * 1000;
    this.groupBy = scenario.groupBy;
    this.capacity = scenario.capacity;
    this.whenHost = scenario.whenHost ?? null;
    this.distinct = scenario.distinct !== undefined;
    this.minShare = scenario.minShare ?? null;
    this.blackholeMs = scenario.blackholeSeconds * 1000;
    this.counters = index.counter(this.windowMs, this.distinct);
  }

  private totalCount(now: number): number {
    const total = this.total;
    const windowStart = now - (now % this.windowMs);
    if (windowStart !== total.windowStart) {
      total.previous = windowStart - total.windowStart === this.windowMs ? total.current : 0;
      total.current = 0;
      total.windowStart = windowStart;
    }
    return total.previous * (1 - (now - windowStart) / this.windowMs) + total.current;
  }

  /** Counts the signal in its slot; the rounded level when that makes a threat, else null. */
  pour(slot: number, path: string | undefined, now: number, capacity: number): number | null {
    const counters = this.counters;
    const before = counters.count(slot, now);
    if (this.distinct && !counters.firstSeen(slot, path ?? '')) return null;
    counters.add(slot);
    const level = before + 1;
    let share = 1;
    if (this.minShare !== null) {
      share = level / (this.totalCount(now) + 1);
      this.total.current += 1;
    }
    // A hair of tolerance: the weighted previous window makes the count fractional.
    if (level < capacity - 1e-9 || now < counters.quietUntil(slot)) return null;
    if (this.minShare !== null && share < this.minShare) return null;
    counters.restartQuiet(slot, now + this.blackholeMs);
    return Math.round(level);
  }
}

/**
 * Every scenario's buckets. `observe` is on the guard's hot path: a few Map lookups and
 * arithmetic per matching scenario, no allocation beyond a new bucket.
 */
export class Detectors {
  private runners: ScenarioRunner[] = [];
  private byKind = new Map<SignalKind, ScenarioRunner[]>();
  /** One index per grouping in use: a signal's key is looked up once for all its scenarios. */
  private readonly indexes = new Map<Scenario['groupBy'], SlotIndex>();

  constructor(
    scenarios: Scenario[],
    /** Multiplies every capacity (ELEVATED tightens thresholds). */
    private readonly capacityFactor: () => number,
    /** The host's pressure now, for scenarios that count only during a spike. */
    private readonly host: () => { cpuPercent: number; memoryPercent: number } = () => ({ cpuPercent: 0, memoryPercent: 0 }),
    /** Keys counted per grouping at most (see SlotIndex). */
    private readonly maxSlots = MAX_SLOTS,
  ) {
    this.configure(scenarios);
  }

  /** A reload keeps the buckets of scenarios whose definition did not change. */
  configure(scenarios: Scenario[]): void {
    const previous = new Map(this.runners.map((r) => [JSON.stringify(r.scenario), r]));
    this.runners = scenarios.map((s) => previous.get(JSON.stringify(s)) ?? new ScenarioRunner(s, this.indexFor(s.groupBy)));
    for (const [groupBy, index] of this.indexes) index.attach(this.runners.filter((r) => r.groupBy === groupBy).map((r) => r.counters));
    this.byKind = new Map();
    for (const runner of this.runners) {
      for (const kind of runner.scenario.kinds) this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), runner]);
    }
  }

  private indexFor(groupBy: Scenario['groupBy']): SlotIndex {
    let index = this.indexes.get(groupBy);
    if (!index) this.indexes.set(groupBy, (index = new SlotIndex(this.maxSlots)));
    return index;
  }

  /**
   * `v4`: the source already parsed as an IPv4 number by the caller (the guard has), which then
   * stands for its canonical text; without it the source is parsed here.
   */
  observe(signal: SecuritySignal, now = signal.at, v4: number | null = null): Overflow[] {
    let ip: string | null;
    if (v4 !== null) ip = signal.source ?? null;
    else {
      ip = signal.source ? canonicalIp(signal.source) : null;
      v4 = ip === null ? null : parseIpv4(ip);
    }
    const factor = this.capacityFactor();
    let overflows = this.pourKind(signal.kind, signal, ip, v4, now, factor, null);
    const extra = extraKindOf(signal);
    if (extra !== null) overflows = this.pourKind(extra, signal, ip, v4, now, factor, overflows);
    return overflows ?? NO_OVERFLOWS;
  }

  private pourKind(
    kind: SignalKind,
    signal: SecuritySignal,
    ip: string | null,
    v4: number | null,
    now: number,
    factor: number,
    found: Overflow[] | null,
  ): Overflow[] | null {
    const runners = this.byKind.get(kind);
    if (!runners) return found;
    let overflows = found;
    // Scenarios grouping the same way follow each other's key: one slot lookup serves them all.
    let lastIndex: SlotIndex | null = null;
    let key: SlotKey | null = null;
    let slot = -1;
    for (const runner of runners) {
      if (runner.whenHost && !this.underPressure(runner.whenHost)) continue;
      if (runner.index !== lastIndex) {
        lastIndex = runner.index;
        key = groupKey(runner.groupBy, signal, ip, v4);
        slot = key === null ? -1 : runner.index.slot(key, now);
      }
      if (slot < 0) continue;
      const capacity = Math.max(1, Math.ceil(runner.capacity * factor));
      const count = runner.pour(slot, signal.path, now, capacity);
      if (count !== null) (overflows ??= []).push({ scenario: runner.scenario, key: keyText(runner.scenario, key!, ip), source: ip, count, signal });
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

  /** `budget` slots per grouping at most (see SlotIndex.sweep). */
  sweep(now = Date.now(), budget = Infinity): void {
    for (const index of this.indexes.values()) index.sweep(now, budget);
  }

  /** Keys being counted, over every grouping (an address counted by three scenarios is one). */
  keyCount(): number {
    let sum = 0;
    for (const index of this.indexes.values()) sum += index.size;
    return sum;
  }
}

const NO_OVERFLOWS: Overflow[] = [];
