import { computeHealthScore, type ModuleHealth, type SystemSample } from '@/lib/health/score';
import { degradationLevelSchema, disabledFeatures, levelRank, nextDegradationLevel, worseLevel, type DegradationLevel } from '@/lib/health/degradation';
import type { DatabaseStatus, DegradationChange, HealthSnapshot } from '@/lib/health/types';
import type { Database } from '../db/client';
import type { AuditWriter } from '../audit';
import { insertHealthSamples, pruneHealthHistory, upsertRollup, type MinuteRollup, type StoredSample } from '../queries/health';
import { readSetting, writeSetting } from '../queries/settings';
import type { Logger } from '../log';
import { minuteOf, rollUpMinute } from './minute-rollup';
import { dbErrorMessage } from '../db/db-error';

const LEVEL_KEY = 'health.degradation';
const PIN_KEY = 'health.pinnedDegradation';
/** A day of 5-second samples: what the monitor keeps in memory while the database is away. */
const MAX_BUFFERED_SAMPLES = 17_280;
const PRUNE_EVERY_MS = 3_600_000;

export interface Sampler {
  sample(now?: Date): Promise<SystemSample>;
}

export interface HealthMonitorOptions {
  sampler: Sampler;
  database: Database;
  audit: AuditWriter;
  log: Logger;
  intervalMs: number;
  hysteresis: number;
  /** Consecutive samples a new level must hold before it applies, so one spike does not flip it. */
  confirmSamples: number;
  rawRetentionMs: number;
  rollupRetentionMs: number;
  startedAt: Date;
  onSnapshot?: (snapshot: HealthSnapshot) => void;
  onDegradationChange?: (change: DegradationChange) => void;
  /** The modules' states, so the score includes what the host is for, not only its resources. */
  moduleHealth?: () => readonly ModuleHealth[];
}

interface Pin {
  level: DegradationLevel;
  actor: string;
  reason: string;
  at: string;
}

export class HealthMonitor {
  private level: DegradationLevel = 'NORMAL';
  private candidate: { level: DegradationLevel; count: number } | null = null;
  private pin: Pin | null = null;
  private latest: HealthSnapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private pendingSamples: StoredSample[] = [];
  private pendingRollups: MinuteRollup[] = [];
  private minute: { start: Date; samples: StoredSample[] } | null = null;
  private lastPrune = 0;
  private sampleStoreOk = true;

  constructor(private readonly options: HealthMonitorOptions) {}

  async start(): Promise<void> {
    const { database } = this.options;
    try {
      const stored = degradationLevelSchema.safeParse(await readSetting<string>(database, LEVEL_KEY));
      if (stored.success) this.level = stored.data;
      this.pin = await readSetting<Pin>(database, PIN_KEY);
    } catch (error) {
      this.options.log.warn({ err: dbErrorMessage(error) }, 'could not read the last degradation state; starting from NORMAL');
    }
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
  }

  /** After Vigil's state was restored from a snapshot: the pin may have changed under us. */
  async reloadPin(): Promise<void> {
    this.pin = await readSetting<Pin>(this.options.database, PIN_KEY);
    await this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    if (this.minute && this.minute.samples.length > 0) this.pendingRollups.push(rollUpMinute(this.minute.start, this.minute.samples));
    this.minute = null;
    await this.persist();
  }

  current(): HealthSnapshot | null {
    return this.latest;
  }

  currentLevel(): DegradationLevel {
    return this.latest?.degradation ?? this.level;
  }

  /** Runs one sampling cycle; overlapping calls share the cycle in flight. */
  tick(): Promise<void> {
    if (!this.ticking) {
      this.ticking = this.runTick()
        .catch((error) => this.options.log.error({ err: dbErrorMessage(error) }, 'health sampling cycle failed'))
        .finally(() => {
          this.ticking = null;
        });
    }
    return this.ticking;
  }

  /**
   * Holds the level at least as degraded as `level` (shedding load by hand), or
   * releases the hold with null. The computed level still applies when it is worse.
   */
  async setPin(level: DegradationLevel | null, actor: string, reason: string): Promise<HealthSnapshot | null> {
    const previous = this.pin;
    this.pin = level ? { level, actor, reason, at: new Date().toISOString() } : null;
    await writeSetting(this.options.database, PIN_KEY, this.pin);
    await this.options.audit.append({
      type: level ? 'health.degradation_pinned' : 'health.degradation_unpinned',
      severity: 'notice',
      actor,
      action: level ? `hold degradation at ${level} or worse` : `release degradation hold${previous ? ` (${previous.level})` : ''}`,
      module: 'host',
      reason,
      method: 'operator action',
    });
    await this.tick();
    return this.latest;
  }

  private async runTick(): Promise<void> {
    const sample = await this.options.sampler.sample();
    const { score, deductions } = computeHealthScore(sample, undefined, this.options.moduleHealth?.() ?? []);
    const computed = this.confirm(nextDegradationLevel(this.level, score, this.options.hysteresis));
    const effective = this.pin ? worseLevel(computed, this.pin.level) : computed;
    const previous = this.level;
    this.level = computed;
    const previousEffective = this.latest?.degradation ?? (this.pin ? worseLevel(previous, this.pin.level) : previous);

    const stored: StoredSample = { sample, score, degradation: effective };
    this.collect(stored);
    await this.persist();
    if (computed !== previous) await this.rememberLevel(computed);

    this.latest = {
      sample,
      score,
      deductions,
      degradation: effective,
      pinnedDegradation: this.pin?.level ?? null,
      disabledFeatures: disabledFeatures(effective),
      workerStartedAt: this.options.startedAt.toISOString(),
      database: this.databaseStatus(),
    };
    if (effective !== previousEffective) await this.announceChange(previousEffective, effective, score, deductions);
    this.options.onSnapshot?.(this.latest);
  }

  private confirm(proposed: DegradationLevel): DegradationLevel {
    if (proposed === this.level) {
      this.candidate = null;
      return proposed;
    }
    this.candidate = this.candidate?.level === proposed ? { level: proposed, count: this.candidate.count + 1 } : { level: proposed, count: 1 };
    if (this.candidate.count < this.options.confirmSamples) return this.level;
    this.candidate = null;
    return proposed;
  }

  private async announceChange(from: DegradationLevel, to: DegradationLevel, score: number, deductions: HealthSnapshot['deductions']): Promise<void> {
    const worse = levelRank(to) > levelRank(from);
    const causes = deductions.map((d) => d.detail).join('; ');
    const pin = this.pin;
    const heldByPin = pin !== null && pin.level === to && levelRank(to) > levelRank(this.level);
    const reason = heldByPin ? `held by ${pin.actor}: ${pin.reason}` : worse ? `score ${score}${causes ? `: ${causes}` : ''}` : `score ${score}, recovered`;
    const change: DegradationChange = { from, to, score, at: new Date().toISOString(), reason };
    try {
      await this.options.audit.append({
        type: 'health.degradation_changed',
        severity: to === 'EMERGENCY' ? 'critical' : worse ? 'warning' : 'notice',
        actor: 'system',
        action: worse ? `degrade ${from} → ${to}` : `recover ${from} → ${to}`,
        module: 'host',
        reason,
        method: 'health monitor',
        details: { from, to, score, deductions: deductions.map((d) => ({ factor: d.factor, points: d.points, detail: d.detail })) },
      });
    } catch (error) {
      this.options.log.error({ err: error }, 'degradation change could not be recorded');
    }
    this.options.onDegradationChange?.(change);
  }

  private async rememberLevel(level: DegradationLevel): Promise<void> {
    try {
      await writeSetting(this.options.database, LEVEL_KEY, level);
    } catch {
      // The level is recomputed from the next samples anyway; the audit event is what matters.
    }
  }

  private collect(stored: StoredSample): void {
    this.pendingSamples.push(stored);
    if (this.pendingSamples.length > MAX_BUFFERED_SAMPLES) this.pendingSamples.splice(0, this.pendingSamples.length - MAX_BUFFERED_SAMPLES);
    const start = minuteOf(stored.sample.at);
    if (this.minute && this.minute.start.getTime() !== start.getTime()) {
      this.pendingRollups.push(rollUpMinute(this.minute.start, this.minute.samples));
      this.minute = null;
    }
    if (!this.minute) this.minute = { start, samples: [] };
    this.minute.samples.push(stored);
  }

  /** Writes what is buffered; on failure keeps it for the next cycle. */
  private async persist(): Promise<void> {
    const { database } = this.options;
    try {
      if (this.pendingSamples.length > 0) {
        await insertHealthSamples(database, this.pendingSamples);
        this.pendingSamples = [];
      }
      while (this.pendingRollups.length > 0) {
        await upsertRollup(database, this.pendingRollups[0]);
        this.pendingRollups.shift();
      }
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        const now = Date.now();
        const pruned = await pruneHealthHistory(database, new Date(now - this.options.rawRetentionMs), new Date(now - this.options.rollupRetentionMs));
        if (pruned.samples + pruned.rollups > 0) this.options.log.info(pruned, 'pruned health history past retention');
      }
      if (!this.sampleStoreOk) this.options.log.info({}, 'health samples are being stored again');
      this.sampleStoreOk = true;
    } catch (error) {
      if (this.sampleStoreOk)
        this.options.log.warn({ err: dbErrorMessage(error), buffered: this.pendingSamples.length }, 'could not store health samples; buffering');
      this.sampleStoreOk = false;
    }
  }

  private databaseStatus(): DatabaseStatus {
    const audit = this.options.audit.status();
    return {
      ok: audit.ok && this.sampleStoreOk,
      pendingEvents: audit.pendingEvents,
      lastError: audit.lastError ?? (this.sampleStoreOk ? null : 'health samples cannot be stored'),
    };
  }
}
