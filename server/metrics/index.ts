import { createRequire } from 'node:module';
import type { Counter, Histogram, Registry } from 'prom-client';
import { DEGRADATION_LEVELS, type DegradationLevel } from '@/lib/health/degradation';
import { MODULE_STATES } from '@/lib/healing/module-schema';
import type { ModuleView } from '@/lib/healing/module-view';
import type { DefenseMode } from '@/lib/defense/defense-types';

const DEFENSE_MODES: readonly DefenseMode[] = ['NORMAL', 'ELEVATED', 'LOCKDOWN'];

/** What the worker's metrics read at scrape time; each getter must be cheap. */
export interface MetricsSources {
  healthScore: () => number | null;
  degradation: () => DegradationLevel;
  modules: () => ModuleView[];
  defenseMode: () => DefenseMode;
  isolations: () => number;
  /** The newest verified golden snapshot, or null when there is none. */
  newestVerifiedGolden: () => Promise<{ name: string; createdAt: Date } | null>;
  auditHeadSeq: () => number;
  /** How late recent probes started against their slot (p99, ms) and how many were set aside as inconclusive. */
  probePacing?: () => { startDelayP99Ms: number | null; inconclusive: number };
  /** With several replicas on PostgreSQL: this one's role; null on SQLite (always the only one). */
  clusterRole?: () => 'leader' | 'standby' | null;
}

export interface WorkerMetrics {
  /** The registry, built on first use. */
  readonly registry: Registry;
  /** Called for every probe result, so the histogram sees each answer, not only the latest. */
  observeProbe(module: string, latencyMs: number): void;
  countThreat(threat: { level: string; scenario: string }): void;
  /** Where the gauges read from: the worker counts probes and threats from the start, and hands the sources in once they all exist. */
  readFrom(sources: MetricsSources): void;
  render(): Promise<string>;
  readonly contentType: string;
}

const NOTHING_YET: MetricsSources = {
  healthScore: () => null,
  degradation: () => 'NORMAL',
  modules: () => [],
  defenseMode: () => 'NORMAL',
  isolations: () => 0,
  newestVerifiedGolden: async () => null,
  auditHeadSeq: () => 0,
};

/**
 * One registry per worker rather than prom-client's global one: tests (and the CLI) may start
 * several workers in one process, and a global registry would refuse the second registration.
 */
function buildRegistry(read: () => MetricsSources): Built {
  // CommonJS, required synchronously: the first probe result or scrape builds the registry in place.
  const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = requireDependency('prom-client') as typeof import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'vigil_health_score',
    help: 'Health score 0-100 from the latest sample.',
    registers: [registry],
    collect() {
      const score = read().healthScore();
      if (score !== null) this.set(score);
    },
  });
  new Gauge({
    name: 'vigil_leader',
    help: '1 on the replica that leads (probes, detects, heals), 0 on a standby; always 1 on SQLite.',
    registers: [registry],
    collect() {
      this.set(read().clusterRole?.() === 'standby' ? 0 : 1);
    },
  });
  new Gauge({
    name: 'vigil_degradation_level',
    help: 'Graceful-degradation level: 0 NORMAL, 1 LEVEL_1, 2 LEVEL_2, 3 LEVEL_3, 4 EMERGENCY.',
    registers: [registry],
    collect() {
      this.set(DEGRADATION_LEVELS.indexOf(read().degradation()));
    },
  });
  new Gauge({
    name: 'vigil_module_up',
    help: '1 when the module answers (up or degraded), 0 otherwise.',
    labelNames: ['module', 'kind'],
    registers: [registry],
    collect() {
      // Reset first: a module removed from the config must disappear from the scrape.
      this.reset();
      for (const m of read().modules()) this.set({ module: m.name, kind: m.kind }, m.state === 'up' || m.state === 'degraded' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_module_state',
    help: 'One series per module and possible state; 1 marks the current state.',
    labelNames: ['module', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of read().modules()) for (const state of MODULE_STATES) this.set({ module: m.name, state }, m.state === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_defense_mode',
    help: 'Defense mode: 0 NORMAL, 1 ELEVATED, 2 LOCKDOWN.',
    registers: [registry],
    collect() {
      this.set(DEFENSE_MODES.indexOf(read().defenseMode()));
    },
  });
  new Gauge({
    name: 'vigil_isolations',
    help: 'Sources isolated right now.',
    registers: [registry],
    collect() {
      this.set(read().isolations());
    },
  });
  new Gauge({
    name: 'vigil_snapshot_newest_verified_golden_age_seconds',
    help: 'Age of the newest verified golden snapshot, labelled with its name (absent when there is none).',
    // The label is there so that "none" can be an absent series (alert on absent()) rather than
    // a 0 that would read as "just taken": an unlabelled gauge always renders a value.
    labelNames: ['snapshot'],
    registers: [registry],
    async collect() {
      const newest = await read()
        .newestVerifiedGolden()
        .catch(() => null);
      this.reset();
      if (newest) this.set({ snapshot: newest.name }, Math.max(0, (Date.now() - newest.createdAt.getTime()) / 1000));
    },
  });
  new Gauge({
    name: 'vigil_audit_chain_head',
    help: 'Sequence number of the last audit event this worker committed.',
    registers: [registry],
    collect() {
      this.set(read().auditHeadSeq());
    },
  });

  new Gauge({
    name: 'vigil_probe_start_delay_p99_seconds',
    help: 'p99 of how late the last 4,096 probes started against their planned slot: the prober itself falling behind.',
    registers: [registry],
    collect() {
      const delay = read().probePacing?.().startDelayP99Ms;
      if (delay !== null && delay !== undefined) this.set(delay / 1000);
    },
  });
  new Gauge({
    name: 'vigil_probes_inconclusive_total',
    help: 'Probe timeouts set aside because the worker itself was starved when they happened.',
    registers: [registry],
    collect() {
      this.set(read().probePacing?.().inconclusive ?? 0);
    },
  });

  const probeLatency = new Histogram({
    name: 'vigil_probe_latency_seconds',
    help: 'Latency of module probes.',
    labelNames: ['module'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const threats = new Counter({
    name: 'vigil_threats_total',
    help: 'Threats detected since the worker started.',
    labelNames: ['level', 'scenario'],
    registers: [registry],
  });

  return { registry, probeLatency, threats };
}

interface Built {
  registry: Registry;
  probeLatency: Histogram<'module'>;
  threats: Counter<'level' | 'scenario'>;
}

const requireDependency = createRequire(import.meta.url);

/**
 * prom-client and the registry (~3-4 MiB with the tracing API it requires) load on first use:
 * the first probe result, threat or scrape. A worker with no modules that nobody scrapes never
 * needs them. Process metrics read what the process did since it started (CPU time, memory);
 * the garbage-collection and event-loop histograms count from that first use.
 */
export function createWorkerMetrics(initial: MetricsSources = NOTHING_YET): WorkerMetrics {
  let sources = initial;
  let built: Built | null = null;
  const build = () => (built ??= buildRegistry(() => sources));
  return {
    get registry() {
      return build().registry;
    },
    get contentType() {
      return build().registry.contentType;
    },
    observeProbe(module, latencyMs) {
      if (Number.isFinite(latencyMs) && latencyMs >= 0) build().probeLatency.observe({ module }, latencyMs / 1000);
    },
    countThreat(threat) {
      build().threats.inc({ level: threat.level, scenario: threat.scenario });
    },
    readFrom(next) {
      sources = next;
    },
    render: () => build().registry.metrics(),
  };
}
