import type { ChildProcess } from 'node:child_process';
import { moduleSchema, type ModuleDefinition } from '@/lib/healing/module-schema';
import type { ScenarioName } from '@/lib/drills/drill-schema';
import type { HealingEngine } from '../healing/healing-engine';
import { demoEnv, freePort, healthStatus, setFault, spawnDemoService, type DemoFiles } from './demo-service';
import { mountScratchDisk, type ScratchDisk } from './scratch-disk';

/** One demo service under one module, and the fault to inject into it. */
export interface ScenarioSetup {
  name: ScenarioName;
  module: ModuleDefinition;
  port: number;
  /** Fault injected → resolved must fit in this. */
  limitMs: number;
  /** Started by the drill for `http` modules; supervised ones belong to the engine. */
  service?: ChildProcess;
  scratch?: ScratchDisk;
  /** True once the module can be drilled (the latency baseline needs ten healthy windows). */
  ready(engine: HealingEngine): boolean;
  /** Injects the fault; resolves with the moment it took effect. */
  inject(engine: HealingEngine): Promise<number>;
  /**
   * For a fault the engine must not "fix" by itself: degradation is shed, not restarted
   * (the healing defaults), so the drill lifts the latency after holding it and checks the incident stayed
   * open while the service was slow.
   */
  liftAfterMs?: number;
  lift?(): Promise<void>;
}

export interface ScenarioContext {
  files: DemoFiles;
  dir: string;
  /** Probe cadence; drills keep it at 1 s so a run takes seconds. */
  intervalSeconds: number;
}

const always = () => true;

function signalSupervised(engine: HealingEngine, module: string, signal: NodeJS.Signals): number {
  const pid = engine.runtime(module)?.supervisor?.pid;
  if (!pid) throw new Error(`${module} has no running process to ${signal}`);
  process.kill(pid, signal);
  return Date.now();
}

async function supervised(name: ScenarioName, context: ScenarioContext, limitMs: number, signal: NodeJS.Signals): Promise<ScenarioSetup> {
  const port = await freePort();
  const definition = moduleSchema.parse({
    name: `drill-${name}`,
    kind: 'process',
    command: [process.execPath, context.files.service],
    env: demoEnv(port),
    readyUrl: `http://127.0.0.1:${port}/health`,
    intervalSeconds: context.intervalSeconds,
    timeoutSeconds: 1,
  });
  return { name, module: definition, port, limitMs, ready: always, inject: async (engine) => signalSupervised(engine, definition.name, signal) };
}

async function unowned(
  name: ScenarioName,
  context: ScenarioContext,
  limitMs: number,
  options: { scratch?: ScratchDisk; restart: ModuleDefinition['restart']; timeoutSeconds?: number },
): Promise<Omit<ScenarioSetup, 'inject' | 'ready'>> {
  const port = await freePort();
  const service = spawnDemoService(context.files, demoEnv(port, options.scratch?.dir));
  const definition = moduleSchema.parse({
    name: `drill-${name}`,
    kind: 'http',
    url: `http://127.0.0.1:${port}/health`,
    intervalSeconds: context.intervalSeconds,
    timeoutSeconds: options.timeoutSeconds ?? 1,
    restart: options.restart ?? { http: `http://127.0.0.1:${port}/restart` },
  });
  return { name, module: definition, port, limitMs, service, scratch: options.scratch };
}

/** Builds a scenario's service and module; throws when the machine cannot run it (no mount). */
export async function setUpScenario(name: ScenarioName, context: ScenarioContext): Promise<ScenarioSetup> {
  switch (name) {
    case 'kill':
      // The benchmark target: detected ≤ 1 s, serving again ≤ 5 s.
      return supervised(name, context, 5000, 'SIGKILL');
    case 'hang':
      // Probe timeouts (3 × 1 s) make the incident, the next escalation tick (5 s) restarts.
      return supervised(name, context, 20_000, 'SIGSTOP');
    case 'http-500': {
      const setup = await unowned(name, context, 10_000, { restart: undefined });
      return { ...setup, ready: always, inject: async () => (await setFault(setup.port, { status: 500 }), Date.now()) };
    }
    case 'latency': {
      const setup = await unowned(name, context, 15_000, { restart: undefined, timeoutSeconds: 3 });
      return {
        ...setup,
        ready: (engine) => engine.runtime(setup.module.name)?.baseline.current != null,
        // Well over twice the learned baseline even when a busy host made that baseline slow.
        inject: async (engine) => (
          await setFault(setup.port, { delayMs: Math.min(2000, Math.max(300, Math.round(4 * (engine.runtime(setup.module.name)?.baseline.current ?? 0)))) }),
          Date.now()
        ),
        liftAfterMs: 2000,
        lift: () => setFault(setup.port, {}),
      };
    }
    case 'disk-full': {
      const scratch = await mountScratchDisk(context.dir);
      try {
        // The "restart" of this service is its clean-up: a hook that frees the scratch space.
        const setup = await unowned(name, context, 10_000, { scratch, restart: { command: [process.execPath, context.files.freeSpace, scratch.dir] } });
        return { ...setup, ready: always, inject: async () => (scratch.fill(), Date.now()) };
      } catch (error) {
        await scratch.unmount();
        throw error;
      }
    }
  }
}

/** Serving means the service itself answers 200, not only that the engine says "up". */
export const serving = (setup: ScenarioSetup): Promise<boolean> => healthStatus(setup.port).then((status) => status === 200);
