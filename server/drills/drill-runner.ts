import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultEscalationPolicy } from '@/lib/healing/escalation';
import type { IncidentSummary } from '@/lib/healing/incident';
import type { DrillResult, DrillRun, DrillScenarioProgress, ScenarioName } from '@/lib/drills/drill-schema';
import { openDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { HealingEngine } from '../healing/healing-engine';
import type { Logger } from '../log';
import { stopChild, writeDemoFiles } from './demo-service';
import { serving, setUpScenario, type ScenarioSetup } from './scenarios';

export interface DrillOptions {
  scenarios: readonly ScenarioName[];
  /** Scenarios whose faults are injected all at once (the harder mode); the rest run one by one. */
  together?: readonly ScenarioName[];
  actor: string;
  log: Logger;
  /** PATH for hooks, as the worker has it. */
  searchPath: string;
  /** Progress lines for a terminal. */
  onProgress?: (line: string) => void;
  /** The same progress per scenario, for the console. */
  onScenario?: (update: DrillScenarioProgress) => void;
  intervalSeconds?: number;
  /** Aborting ends the drill early; everything it started is still undone. */
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => T | Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Every wait of a drill passes here, so a stop request ends it within 20 ms (and cleans up).
    signal?.throwIfAborted();
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) return null;
    await sleep(20);
  }
}

/** Incidents of the drill's engine as they open and resolve, per module. */
class IncidentWatch {
  private readonly byModule = new Map<string, IncidentSummary[]>();

  observe(incident: IncidentSummary): void {
    const list = this.byModule.get(incident.module) ?? [];
    if (!list.some((i) => i.id === incident.id)) this.byModule.set(incident.module, [...list, incident]);
  }

  /** The first incident for the module that opened at or after `since`. */
  after(module: string, since: number): IncidentSummary | undefined {
    return this.byModule.get(module)?.find((i) => Date.parse(i.openedAt) >= since);
  }
}

/** Injects one scenario's fault and measures detection and recovery against its limit. */
async function drillOne(
  setup: ScenarioSetup,
  engine: HealingEngine,
  watch: IncidentWatch,
  concurrentFaults: number,
  signal?: AbortSignal,
): Promise<DrillResult> {
  const base = { scenario: setup.name, concurrentFaults, limitMs: setup.limitMs, skipped: false };
  const injectedAt = await setup.inject(engine);
  const detected = await until(() => watch.after(setup.module.name, injectedAt), setup.limitMs, signal);
  if (!detected) {
    const view = engine.list().find((m) => m.name === setup.module.name);
    return { ...base, mttdMs: null, mttrMs: null, passed: false, note: `no incident within ${setup.limitMs} ms (module ${view?.state}: ${view?.message})` };
  }
  const detectedAt = Date.parse(detected.openedAt);
  const note = `${detected.failureClass.replaceAll('_', ' ')} (${(detected.rootCause ?? 'unknown cause').replaceAll('_', ' ')})`;
  let heldOpen = true;
  if (setup.lift) {
    await sleep(setup.liftAfterMs ?? 0);
    heldOpen = detected.state === 'open';
    await setup.lift();
  }
  const resolved = await until(() => detected.state === 'resolved' && detected.resolvedAt, Math.max(0, injectedAt + setup.limitMs - Date.now()), signal);
  const mttdMs = Math.max(0, detectedAt - injectedAt);
  if (!resolved) return { ...base, mttdMs, mttrMs: null, passed: false, note: `${note}; not resolved within ${setup.limitMs} ms` };
  const mttrMs = Date.parse(resolved) - detectedAt;
  if (!heldOpen) return { ...base, mttdMs, mttrMs, passed: false, note: `${note}; resolved while the fault was still there` };
  if (!(await serving(setup))) return { ...base, mttdMs, mttrMs, passed: false, note: `${note}; resolved, but the service does not answer 200` };
  return { ...base, mttdMs, mttrMs, passed: true, note: setup.lift ? `${note}; fault lifted by the drill after ${setup.liftAfterMs} ms` : note };
}

async function openDrillDatabase(dir: string): Promise<Database> {
  const url = `file:${path.join(dir, 'drill.db')}`;
  await applyMigrations(url);
  return openDatabase({ url });
}

/**
 * A chaos drill: real demo services under a private HealingEngine over its own SQLite file,
 * so the operator's modules and incidents stay untouched. Everything it starts (processes,
 * the tmpfs, the temp dir) is undone on every way out.
 */
export async function runDrill(options: DrillOptions): Promise<DrillRun> {
  const startedAt = new Date();
  const progress = options.onProgress ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-drill-'));
  const setups: ScenarioSetup[] = [];
  const results: DrillResult[] = [];
  const watch = new IncidentWatch();
  let engine: HealingEngine | null = null;
  let database: Database | null = null;
  try {
    const files = writeDemoFiles(dir);
    for (const name of options.scenarios) {
      try {
        setups.push(await setUpScenario(name, { files, dir, intervalSeconds: options.intervalSeconds ?? 1 }));
      } catch (error) {
        results.push({
          scenario: name,
          concurrentFaults: 1,
          mttdMs: null,
          mttrMs: null,
          limitMs: 0,
          passed: false,
          skipped: true,
          note: (error as Error).message,
        });
      }
    }
    database = await openDrillDatabase(dir);
    engine = new HealingEngine({
      database,
      // The demo services' own events stay in the drill's database; the run is audited once, as drill.completed.
      audit: { append: async () => undefined },
      log: options.log,
      searchPath: options.searchPath,
      modules: () => setups.map((s) => ({ definition: s.module, source: 'config' as const })),
      escalation: defaultEscalationPolicy,
      // A busy host would add "overload" evidence and change the diagnosis between runs.
      host: () => ({ cpuPercent: 0, memoryPercent: 0 }),
      onIncident: (incident) => watch.observe(incident),
      approvalTimeoutMs: 60_000,
    });
    await engine.start();
    const running = engine;
    const allUp = await until(() => running.list().every((m) => m.state === 'up'), 30_000, options.signal);
    if (!allUp)
      throw new Error(
        `demo services did not come up: ${running
          .list()
          .filter((m) => m.state !== 'up')
          .map((m) => `${m.name} ${m.state} (${m.message})`)
          .join(', ')}`,
      );
    const together = setups.filter((s) => options.together?.includes(s.name));
    const alone = setups.filter((s) => !together.includes(s));
    const groups = [...(together.length > 1 ? [together] : together.map((s) => [s])), ...alone.map((s) => [s])];
    for (const group of groups) {
      await until(() => group.every((s) => s.ready(running)), 60_000, options.signal);
      progress(`injecting ${group.map((s) => s.name).join(' + ')}…`);
      for (const s of group) options.onScenario?.({ scenario: s.name, state: 'injected', note: null });
      const outcomes = await Promise.all(group.map((s) => drillOne(s, running, watch, group.length, options.signal)));
      for (const outcome of outcomes) {
        progress(`  ${outcome.scenario}: ${outcome.passed ? 'passed' : 'FAILED'} (${outcome.note})`);
        options.onScenario?.({ scenario: outcome.scenario, state: outcome.passed ? 'passed' : 'failed', note: outcome.note });
      }
      results.push(...outcomes);
      // Let the engine settle (window reset, restart budget) before the next fault.
      await sleep(1000);
    }
  } finally {
    await engine?.close().catch((error: unknown) => options.log.warn({ err: (error as Error).message }, 'drill: engine did not close cleanly'));
    for (const setup of setups) {
      if (setup.service) await stopChild(setup.service);
      await setup.scratch
        ?.unmount()
        .catch((error: unknown) => options.log.error({ err: (error as Error).message }, 'drill: could not unmount the scratch disk'));
    }
    await database?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  const ordered = options.scenarios.map((name) => results.find((r) => r.scenario === name)!).filter(Boolean);
  return {
    id: randomUUID(),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    actor: options.actor,
    harder: (options.together?.length ?? 0) > 1,
    passed: ordered.every((r) => r.passed || r.skipped),
    results: ordered,
  };
}
