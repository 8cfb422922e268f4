import { SPARKLINE_PROBES } from '@/lib/healing/module-format';
import type { ModuleDefinition, ModuleState } from '@/lib/healing/module-schema';
import type { VantageSummary } from '@/lib/healing/vantage-schema';
import type { ProbeResult } from './probes/probe-result';
import { LatencyBaseline, ProbeWindow } from './probe-window';
import type { SupervisedProcess } from './supervisor';
import { UsageTracker } from './process-usage';
import { ResourceRuleTracker } from './resource-rule-check';

/** How long restart times are kept at least, for the module view and diagnosis. */
const RESTART_MEMORY_MS = 3_600_000;

/** Everything the engine knows about one module between probes. */
export class ModuleRuntime {
  state: ModuleState = 'pending';
  stateSince = Date.now();
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  /** When the current run of failures began: the start of MTTD. */
  firstFailureAt: number | null = null;
  last: (ProbeResult & { at: number }) | null = null;
  readonly window: ProbeWindow;
  readonly baseline = new LatencyBaseline();
  /** Recent latencies for the sparkline. */
  readonly recentLatency: (number | null)[] = [];
  incidentId: string | null = null;
  /** Set when this module's failure was folded into a dependency's incident. */
  foldedInto: string | null = null;
  restartAttempts = 0;
  restartTimes: number[] = [];
  nextRestartAt = 0;
  restarting = false;
  /** The last restart command failed or hung: no more automatic restarts until healthy again. */
  restartBroken = false;
  lastHealthyAt = Date.now();
  /** Start of the current healthy stretch (the last recovery): the restart back-off resets from here. */
  healthySince = Date.now();
  paused = false;
  timer: NodeJS.Timeout | null = null;
  nextProbeAt = 0;
  lastHeartbeatAt: number | null = null;
  supervisor: SupervisedProcess | null = null;
  readonly usage = new UsageTracker();
  readonly resourceRules = new ResourceRuleTracker();
  pendingApproval: 'restart' | 'repair' | 'config_sync' | null = null;
  /** An incident being opened: a probe result arriving meanwhile joins it instead of opening another. */
  opening: Promise<string> | null = null;
  approvalExpiresAt = 0;
  /** The vantage points' last votes, for a module probed from several hosts. */
  vantage: VantageSummary | null = null;

  constructor(
    public definition: ModuleDefinition,
    readonly source: 'config' | 'console',
  ) {
    this.window = new ProbeWindow(Math.max(5 * 60_000, definition.detection.errorWindowSeconds * 2000));
  }

  get name(): string {
    return this.definition.name;
  }

  remember(result: ProbeResult, at: number): void {
    this.last = { ...result, at };
    this.window.add({ at, ok: result.ok, latencyMs: result.latencyMs });
    // A passed probe with no latency (a supervised process) is drawn at 0, not as a gap.
    this.recentLatency.push(result.ok ? (result.latencyMs ?? 0) : null);
    if (this.recentLatency.length > SPARKLINE_PROBES) this.recentLatency.shift();
  }

  /** Restarts made before the worker itself restarted: the budget goes on from where it was, not from zero. */
  recallRestarts(times: readonly number[], now: number): void {
    this.restartTimes = times.filter((t) => now - t <= this.restartMemoryMs());
    // What onFailure would not have reset yet: the attempts within the policy's reset time.
    const resetMs = this.definition.restartPolicy.resetAfterSeconds * 1000;
    this.restartAttempts = times.filter((t) => now - t <= resetMs).length;
  }

  /** Restart times are kept for the view's hour, or for the whole budget window when that is longer. */
  private restartMemoryMs(): number {
    return Math.max(RESTART_MEMORY_MS, this.definition.restartPolicy.windowSeconds * 1000);
  }

  restartsWithin(ms: number, now: number): number {
    this.restartTimes = this.restartTimes.filter((t) => now - t <= this.restartMemoryMs());
    return this.restartTimes.filter((t) => now - t <= ms).length;
  }

  /** Restarts inside the budget's sliding window: what the budget and the back-off count. */
  restartsInWindow(now = Date.now()): number {
    return this.restartsWithin(this.definition.restartPolicy.windowSeconds * 1000, now);
  }
}
