import type { VigilConfig } from '@/lib/config/config-schema';
import type { DefenseDecisionChange, DefenseModeChange, DefenseOverview, DefenseThreat, DefenseMode } from '@/lib/defense/defense-types';
import type { SecuritySignal, SignalSink } from '@/lib/defense/signals';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { Allowlist } from './allowlist';
import { Blocklist } from './blocklist';
import { DecisionStream } from './decision-stream';
import { IpListState } from './ip-lists/ip-list-state';
import { DefenseModeController } from './defense-mode';
import { Detectors } from './detectors';
import { Isolations } from './isolations';
import { OperatorAllowlist } from './operator-allowlist';
import { respondToOverflow, type ThreatResponseDeps } from './threat-response';
import { IsolationPolicy } from './isolation-policy';
import { SourceResolver } from './source-resolver';
import { THREAT_FEED_KEEP, ThreatFeed } from './threat-feed';
import { readRecentThreats } from './threat-history';
import { readLastElevation } from './mode-history';
import { parseIpv4 } from '@/lib/defense/ip-prefix';

/** Buckets visited per scenario per tick: a full pass over 200,000 takes under a minute. */
const SWEEP_BUDGET = 5000;

export type GuardVerdict = 'pass' | 'isolated' | 'lockdown';

export interface DefenseEvents {
  onThreat?: (threat: DefenseThreat) => void;
  onDecision?: (change: DefenseDecisionChange) => void;
  onMode?: (change: DefenseModeChange) => void;
  /** An operator changed the allowlist (other replicas re-read it). */
  onAllowlist?: () => void;
}

export interface DefenseServiceOptions extends DefenseEvents {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  /** The current configuration (the file is reloaded on change; call `reconfigure` then). */
  config: () => VigilConfig;
  tickMs?: number;
  /** The host's CPU and memory now (the health monitor's last sample), for resource-abuse scenarios. */
  host?: () => { cpuPercent: number; memoryPercent: number };
}

/**
 * The guardian: signals in, threats and isolation decisions out. Everything the guard
 * consults (blocklist, allowlist, mode, trusted proxies) lives in memory; the database
 * is written before a decision is enforced and read once at start.
 */
export class DefenseService {
  readonly blocklist = new Blocklist();
  readonly allowlist = new Allowlist();
  readonly ipLists = new IpListState();
  readonly stream = new DecisionStream(this.blocklist, this.ipLists);
  readonly threats = new ThreatFeed();
  readonly modes: DefenseModeController;
  readonly isolations: Isolations;
  readonly resolver: SourceResolver;
  private readonly detectors: Detectors;
  /** An agent reporting to its fleet: also handed every evaluated signal and every decision change. */
  fleetTap: { signal: SignalSink; decision: (change: DefenseDecisionChange) => void } | null = null;
  private readonly threatResponse: ThreatResponseDeps;
  private readonly operatorAllowlist: OperatorAllowlist;
  private timer: NodeJS.Timeout | null = null;
  /** Set on a standby: its signals go to the leader's detectors instead of its own. */
  private relay: SignalSink | null = null;
  readonly guardStats = { checks: 0, denied: 0 };
  /** How the decisions in force were read at start (the ≤ 1 s for 100,000 target). */
  readonly startup = { loaded: 0, ms: 0 };

  constructor(private readonly options: DefenseServiceOptions) {
    const defense = () => options.config().defense;
    this.modes = new DefenseModeController({
      database: options.database,
      audit: options.audit,
      log: options.log,
      config: () => defense().elevated,
      onChange: (c) => options.onMode?.(c),
    });
    const policy = new IsolationPolicy({ allowlist: this.allowlist, trustedProxies: () => options.config().trustedProxies, config: () => defense().isolation });
    this.isolations = new Isolations({
      database: options.database,
      audit: options.audit,
      log: options.log,
      blocklist: this.blocklist,
      policy,
      config: () => defense().isolation,
      onChange: (c) => options.onDecision?.(c),
    });
    this.threatResponse = {
      modes: this.modes,
      allowlist: this.allowlist,
      blocklist: this.blocklist,
      isolations: this.isolations,
      threats: this.threats,
      audit: options.audit,
      log: options.log,
      onThreat: options.onThreat,
    };
    this.detectors = new Detectors(defense().scenarios, () => (this.modes.current === 'NORMAL' ? 1 : defense().elevated.capacityFactor), options.host);
    this.resolver = new SourceResolver(options.config().trustedProxies);
    this.allowlist.setConfigEntries(options.config().allowlist);
    this.operatorAllowlist = new OperatorAllowlist({
      database: options.database,
      audit: options.audit,
      allowlist: this.allowlist,
      onChange: () => options.onAllowlist?.(),
    });
  }

  get mode(): DefenseMode {
    return this.modes.current;
  }

  async start(): Promise<{ loaded: number; ms: number }> {
    const started = performance.now();
    await this.reloadAllowlist();
    const loaded = await this.isolations.load();
    this.startup.loaded = loaded;
    this.startup.ms = Math.round(performance.now() - started);
    await this.restoreThreats();
    if (this.relay) await this.modes.reload();
    else await this.modes.start();
    const tickMs = this.options.tickMs ?? 1000;
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
    return { ...this.startup };
  }

  /**
   * The feed, and what ELEVATED counts, as the audit trail has them: at start, and when a standby
   * (whose feed is only what it read at start, the leader being the one that detects) takes the lead.
   */
  private async restoreThreats(): Promise<void> {
    const [threats, elevated] = await Promise.all([readRecentThreats(this.options.database, THREAT_FEED_KEEP), readLastElevation(this.options.database)]);
    this.threats.restore(threats);
    this.modes.recall({ threats, elevated, now: Date.now() });
  }

  /** Operators' allowlist entries from the database: at start, and after a restore of Vigil's state. */
  reloadAllowlist(): Promise<void> {
    return this.operatorAllowlist.reload();
  }

  /**
   * A standby enforces what the leader decides and decides nothing itself: signals are
   * relayed, and decisions and modes arrive through `applyClusterMessage`.
   */
  follow(relay: SignalSink): void {
    this.relay = relay;
  }

  /** True on a standby: it enforces what the leader decides (see server/ha/defense-replay.ts). */
  get following(): boolean {
    return this.relay !== null;
  }

  /** A leader that lost its lock: from now on it decides nothing, and its signals go nowhere. */
  demote(): void {
    this.relay = () => undefined;
  }

  /** A standby that became leader: detect from now on, from the state as stored. */
  async lead(): Promise<void> {
    this.relay = null;
    await this.reloadAllowlist();
    await this.isolations.reload();
    await this.restoreThreats();
    await this.modes.start();
  }

  /** Everything a standby enforces, read again from the database. */
  async reloadFollowed(): Promise<void> {
    await this.reloadAllowlist();
    await this.isolations.reload();
    await this.modes.reload();
  }

  /** A decision the leader announced, in this replica's memory, unless its own policy protects the source. */
  enforceAnnounced({ change, decision }: Pick<DefenseDecisionChange, 'change' | 'decision'>): void {
    if (change === 'isolated') {
      if (this.isolations.mayEnforce(decision)) this.blocklist.add(decision);
    } else if (this.blocklist.get(decision.source)?.id === decision.id) this.blocklist.remove(decision.source);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** After the config file changed: scenarios, trusted proxies and the file's allowlist. */
  reconfigure(): void {
    const config = this.options.config();
    this.detectors.configure(config.defense.scenarios);
    this.resolver.setTrustedProxies(config.trustedProxies);
    this.allowlist.setConfigEntries(config.allowlist);
  }

  /**
   * The guard's answer for a client address. Counting the request is part of the check,
   * and the cheapest order is allowlist, lockdown, blocklist. An IPv4 address (nearly every
   * guard request) is parsed once for all the lookups.
   */
  check(source: string, path: string | undefined, now = Date.now()): GuardVerdict {
    this.guardStats.checks++;
    const v4 = parseIpv4(source);
    if (v4 !== null ? this.allowlist.matchIpv4(v4) : this.allowlist.match(source)) return 'pass';
    if (this.modes.current === 'LOCKDOWN') {
      this.guardStats.denied++;
      return 'lockdown';
    }
    if (this.isolated(source, v4, now)) {
      this.guardStats.denied++;
      return 'isolated';
    }
    if (this.options.config().defense.countGuardRequests) {
      const request: SecuritySignal = { kind: 'request', source, path, origin: 'guard', at: now };
      if (this.relay) this.relay(request);
      else this.evaluate(request, v4);
    }
    return 'pass';
  }

  /** Whether a decision in force covers the source (`v4`: its parsed IPv4 form, or null). */
  private isolated(source: string, v4: number | null, now: number): boolean {
    if (v4 !== null) return this.blocklist.matchIpv4(v4, now) !== undefined || this.ipLists.matchIpv4(v4, now);
    return this.blocklist.match(source, now) !== undefined || this.ipLists.match(source, now);
  }

  /** The sink every signal producer feeds (guard, ingest, log tailer, Vigil's own sign-in). Never throws. */
  signal(signal: SecuritySignal): void {
    if (this.relay) return this.relay(signal);
    this.evaluate(signal, null);
  }

  /** `v4`: the source as an IPv4 number when the caller parsed it already. */
  private evaluate(signal: SecuritySignal, v4: number | null): void {
    try {
      this.fleetTap?.signal(signal);
      const overflows = this.detectors.observe(signal, signal.at, v4);
      for (const overflow of overflows) void respondToOverflow(this.threatResponse, overflow);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message, origin: signal.origin }, 'signal could not be evaluated');
    }
  }

  /** For the integrity monitor (tampering of a critical file) and admins. */
  lockdown(input: { actor: string; reason: string; expiresAt?: Date | null }): Promise<DefenseModeChange | null> {
    return this.modes.lockdown(input);
  }

  lift(input: { actor: string; reason: string }): Promise<DefenseModeChange | null> {
    return this.modes.lift(input);
  }

  /** The SignalSink handed to producers in other folders (log tailer, ingest). */
  readonly sink: SignalSink = (signal) => this.signal(signal);

  allow(input: { source: string; reason: string; actor: string }): Promise<void> {
    return this.operatorAllowlist.allow(input);
  }

  disallow(input: { source: string; reason: string; actor: string }): Promise<boolean> {
    return this.operatorAllowlist.disallow(input);
  }

  overview(now = Date.now()): DefenseOverview {
    const active = this.blocklist.active();
    return {
      mode: this.mode,
      lockdown: this.modes.lockdownInfo,
      threats: this.threats.recent(100),
      // Newest first by id: isolations made at the same moment reach memory in either order, and
      // a restart loads them in id order, so the list reads the same before and after one.
      isolations: active.slice(-500).sort((a, b) => b.id - a.id),
      isolationCount: active.length,
      allowlist: this.allowlist.entries(),
      threatCounts: this.threats.countsLastHour(now),
      threatsPerMinute: this.threats.perMinuteLastHour(now),
      guard: { ...this.guardStats },
    };
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    // The leader announces expiries; a standby only stops enforcing them on time.
    if (this.relay) {
      this.blocklist.expire(now);
      this.modes.settle(now);
      return;
    }
    try {
      await this.isolations.expire(now);
      await this.modes.tick(now);
      this.detectors.sweep(now, SWEEP_BUDGET);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message }, 'defense housekeeping failed');
    }
  }
}
