import type { SubsystemSignals } from '@/lib/forecast/assess';
import type { IncidentEvidence, ModuleSettings, ThreatEvidence } from '@/lib/forecast/governor-rules';
import type { ModuleView } from '@/lib/healing/module-view';
import type { HealthSnapshot } from '@/lib/health/types';
import type { SeriesStore } from './series-store';

/** What the forecaster reads each cycle; the worker wires these to the other capabilities. */
export interface ForecastInputs {
  health: HealthSnapshot | null;
  modules: ModuleView[];
  /** Each module's own restart budget and latency threshold, as the healing engine applies them. */
  moduleSettings: (module: string) => ModuleSettings;
  incidents: IncidentEvidence[];
  threats: ThreatEvidence[];
  database: { latencyMs: number | null; sizeBytes: number | null; freeBytes: number | null };
  golden: {
    verifiedAgeHours: number | null;
    maxAgeHours: number;
    /** Off-site copies, when repositories are configured: the newest copy's age, and whether a check failed last. */
    offsite?: { newestCopyAgeHours: number | null; checkFailed: boolean } | null;
  } | null;
}

const HOUR = 3_600_000;
/** Memory >95 % is resource exhaustion; CPU >90 % sustained is too. */
const MEMORY_LIMIT = 95;
const CPU_WARN = 70;
const CPU_FAIL = 90;
/** A module is given up on after its restart budget within half an hour (the healing engine's reset window is 10 min; 30 covers three). */
const RESTART_WINDOW_MINUTES = 30;
/** An error rate >5 % is a failure; latency P95 over the module's factor (2x by default) times baseline is one. */
const ERROR_RATE_LIMIT = 5;
/** A database query slower than this is the data layer struggling (SQLite's busy timeout default is 500 ms). */
const DB_LATENCY_WARN = 50;
const DB_LATENCY_FAIL = 500;

export const slug = (value: string) => value.replace(/[^A-Za-z0-9_.-]+/g, '_');

function errorPercent(module: ModuleView): number | null {
  if (module.sparkline.length === 0) return null;
  return (100 * module.sparkline.filter((v) => v === null).length) / module.sparkline.length;
}

/** An off-site copy older than the golden policy starts to count; twice that (or none at all) counts fully, as does a failed check. */
function offsiteLevels(golden: NonNullable<ForecastInputs['golden']>): SubsystemSignals['levels'] {
  const offsite = golden.offsite;
  if (!offsite) return undefined;
  const max = golden.maxAgeHours;
  return [
    { label: 'off-site copy age', value: offsite.newestCopyAgeHours ?? 2 * max, warnAt: max, failAt: 2 * max, unit: 'h' },
    ...(offsite.checkFailed ? [{ label: 'off-site copy or check failing', value: 1, warnAt: 0, failAt: 1, unit: '' }] : []),
  ];
}

/** Records this cycle's values into the stores and returns every subsystem's signals. */
export function collectSignals(
  inputs: ForecastInputs,
  store: SeriesStore,
  restartLog: Map<string, { count: number; times: number[] }>,
  now: number,
): SubsystemSignals[] {
  const out: SubsystemSignals[] = [];
  const sample = inputs.health?.sample;
  if (sample) {
    store.record('host:memory', now, sample.memoryPercent);
    store.record('host:cpu', now, sample.cpuPercent);
    out.push({
      id: 'host',
      name: 'Host CPU, memory, load',
      kind: 'host',
      exhaustion: [{ label: 'memory', failure: 'memory exhausted (OOM)', unit: '%', points: store.points('host:memory'), capacity: MEMORY_LIMIT }],
      levels: [
        { label: 'CPU', value: sample.cpuPercent, warnAt: CPU_WARN, failAt: CPU_FAIL, unit: '%' },
        { label: 'load per core', value: sample.load5 / Math.max(1, sample.cores), warnAt: 1, failAt: 3, unit: '' },
      ],
    });
    for (const disk of sample.disks) {
      const id = `disk:${slug(disk.mount)}`;
      store.record(id, now, disk.usedPercent);
      out.push({
        id,
        name: `Disk ${disk.mount}`,
        kind: 'disk',
        exhaustion: [{ label: 'disk', failure: `${disk.mount} full`, unit: '%', points: store.points(id), capacity: 100 }],
      });
    }
  }

  const since = now - 24 * HOUR;
  const incidentsByModule = new Map<string, number>();
  for (const incident of inputs.incidents)
    if (Date.parse(incident.openedAt) >= since) incidentsByModule.set(incident.module, (incidentsByModule.get(incident.module) ?? 0) + 1);
  const seen = new Set<string>();
  for (const view of inputs.modules) {
    const id = `module:${slug(view.name)}`;
    seen.add(`${id}:latency`).add(`${id}:errors`);
    const latency = view.p95Ms ?? view.latencyMs;
    if (latency !== null) store.record(`${id}:latency`, now, latency);
    const errors = errorPercent(view);
    if (errors !== null) store.record(`${id}:errors`, now, errors);
    const log = restartLog.get(view.name) ?? { count: view.restarts, times: [] };
    if (view.restarts > log.count) for (let i = log.count; i < view.restarts; i++) log.times.push(now);
    log.count = view.restarts;
    log.times = log.times.filter((t) => t >= now - RESTART_WINDOW_MINUTES * 60_000);
    restartLog.set(view.name, log);
    const settings = inputs.moduleSettings(view.name);
    const crossings: NonNullable<SubsystemSignals['crossings']> = [
      { label: 'error rate', failure: 'error rate over 5 %', unit: '%', points: store.points(`${id}:errors`), threshold: ERROR_RATE_LIMIT },
    ];
    if (view.baselineMs)
      crossings.push({
        label: 'latency P95',
        failure: `latency P95 over ${settings.latencyFactor}x baseline`,
        unit: 'ms',
        points: store.points(`${id}:latency`),
        threshold: view.baselineMs * settings.latencyFactor,
      });
    out.push({
      id,
      name: view.name,
      kind: 'module',
      state: view.state,
      crossings,
      restarts: { times: log.times, budget: settings.maxAttempts, windowMinutes: RESTART_WINDOW_MINUTES },
      incidents: { open: view.incidentId ? 1 : 0, last24h: incidentsByModule.get(view.name) ?? 0 },
    });
  }
  store.forgetExcept(seen, 'module:');
  const current = new Set(inputs.modules.map((m) => m.name));
  for (const name of restartLog.keys()) if (!current.has(name)) restartLog.delete(name);

  // Threats per five minutes over the last hour: the pressure on the defense surface.
  const buckets = Array.from({ length: 12 }, (_, i) => ({ t: now - (11 - i) * 300_000, v: 0 }));
  for (const threat of inputs.threats) {
    const age = now - Date.parse(threat.at);
    if (age >= 0 && age < HOUR) buckets[11 - Math.floor(age / 300_000)].v += 1;
  }
  out.push({ id: 'defense', name: 'Defense surface', kind: 'defense', threats: buckets });

  const { database } = inputs;
  const data: SubsystemSignals = { id: 'data', name: 'Database', kind: 'data', levels: [], exhaustion: [] };
  if (database.latencyMs !== null)
    data.levels!.push({ label: 'query latency', value: database.latencyMs, warnAt: DB_LATENCY_WARN, failAt: DB_LATENCY_FAIL, unit: 'ms' });
  if (database.sizeBytes !== null && database.freeBytes !== null) {
    // Growth against the room it has: size over size-plus-free, so the ETA is "the disk under it fills".
    store.record('data:size', now, (100 * database.sizeBytes) / (database.sizeBytes + database.freeBytes));
    data.exhaustion!.push({
      label: 'database share of its disk',
      failure: 'database fills its disk',
      unit: '%',
      points: store.points('data:size'),
      capacity: 100,
    });
  }
  out.push(data);

  if (inputs.golden)
    out.push({
      id: 'backups',
      name: 'Golden snapshot',
      kind: 'backups',
      age: { label: 'golden snapshot age', hours: inputs.golden.verifiedAgeHours, maxHours: inputs.golden.maxAgeHours },
      levels: offsiteLevels(inputs.golden),
    });
  return out;
}
