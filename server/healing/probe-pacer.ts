import type { AuditEventInput } from '@/lib/audit/types';
import type { ModuleDefinition } from '@/lib/healing/module-schema';
import type { Logger } from '../log';
import type { ProbeResult } from './probes/probe-result';
import { firstProbeDelayMs, MAX_PROBES_IN_FLIGHT, nextSlotAt, ProbeGate } from './probe-timing';
import { StarvationMonitor } from './starvation-monitor';
import { InconclusiveEpisodes, starvationOf, withoutOwnLag, type Starvation } from './starved-probes';

/** An inconclusive probe is asked again this soon (plus jitter), not a whole interval later. */
const INCONCLUSIVE_RETRY_MS = 2000;
const DELAY_KEEP = 4096;

export interface PacedProbe {
  result: ProbeResult;
  /** Set when the probe failed only because Vigil itself was starved: not a verdict on the target. */
  starvation: Starvation | null;
  startedAt: number;
}

/**
 * When probes run and whether their failures count: each module on its own stable slot in the
 * interval, at most 64 in flight, and a timeout that happened while Vigil itself was starved
 * (its event loop stalled, or the probe started far past its slot) set aside and asked again.
 *
 * The starvation monitor ticks only while a probe is out: a stall matters to a probe only when
 * it overlaps the probe, and the loop is running when a probe starts, so no earlier tick is ever
 * asked about. A worker with nothing to probe then has no 20 ms timer waking it fifty times a second.
 */
export class ProbePacer {
  readonly monitor = new StarvationMonitor();
  private readonly gate = new ProbeGate(MAX_PROBES_IN_FLIGHT);
  readonly episodes: InconclusiveEpisodes;
  /** How late recent probes started against their slot (ms), newest last; a ring, for /metrics. */
  private readonly delays = new Float64Array(DELAY_KEEP);
  private delayCount = 0;
  private inFlight = 0;
  private enabled = false;

  constructor(sinks: { audit: { append(input: AuditEventInput): Promise<unknown> }; log: Logger }) {
    this.episodes = new InconclusiveEpisodes(sinks);
  }

  start(): void {
    this.enabled = true;
    if (this.inFlight > 0) this.monitor.start();
  }

  stop(): void {
    this.enabled = false;
    this.monitor.stop();
  }

  /** Within 5 s of a start, or 2 ms per module when there are more than 2,500: 10,000 first probes (and their state changes) over 20 s, not 5. */
  firstDelayMs(definition: ModuleDefinition, moduleCount = 1): number {
    return definition.kind === 'process' ? 200 : firstProbeDelayMs(definition.name, definition.intervalSeconds * 1000, Math.max(5000, moduleCount * 2));
  }

  /** Until the module's next slot after the one it was planned for; a slot already past is skipped, not caught up. */
  nextDelayMs(definition: ModuleDefinition, plannedAt: number, now = Date.now()): number {
    return nextSlotAt(definition.name, definition.intervalSeconds * 1000, Math.max(plannedAt, now)) - now;
  }

  inconclusiveRetryMs(): number {
    return INCONCLUSIVE_RETRY_MS + Math.random() * INCONCLUSIVE_RETRY_MS;
  }

  async run(input: { module: string; plannedAt: number; probe: (startedAt: number) => Promise<ProbeResult> }): Promise<PacedProbe> {
    return this.gate.run(async () => {
      const startedAt = Date.now();
      this.delays[this.delayCount++ % DELAY_KEEP] = startedAt - input.plannedAt;
      if (this.inFlight++ === 0 && this.enabled) this.monitor.start();
      let lagMs: number;
      let measured: ProbeResult;
      try {
        measured = await input.probe(startedAt);
        lagMs = this.monitor.lagWithin(startedAt, Date.now());
      } finally {
        if (--this.inFlight === 0) this.monitor.stop();
      }
      const starvation = starvationOf({ result: measured, lagMs, lateMs: startedAt - input.plannedAt });
      if (starvation) this.episodes.note(input.module, starvation, Date.now());
      const result = withoutOwnLag(measured, lagMs);
      return { result, starvation, startedAt };
    });
  }

  /** p99 of how late the recent probes started against their slot, in ms; null before any. */
  startDelayP99(): number | null {
    const n = Math.min(this.delayCount, DELAY_KEEP);
    if (n === 0) return null;
    const sorted = this.delays.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)];
  }
}
