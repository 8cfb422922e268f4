import { mkdirSync, writeFileSync } from 'node:fs';
import type { DefenseOverview } from '@/lib/defense/defense-types';
import type { ModuleView } from '@/lib/healing/module-view';
import type { IntegrityStatus } from '@/lib/integrity/integrity-status';
import type { HealthSnapshot } from '@/lib/health/types';
import { internalCall } from './defense-worker';
import { api, findFreePort, waitForHttp } from './http';
import { spawnTs, type RunningProcess } from './processes';
import { workerEnvVars, TEST_API_TOKEN } from './worker-env';
import { waitFor } from './wait';

/** What the dashboard shows, read the way the web app reads it from the worker. */
export interface DashboardState {
  defense: DefenseOverview;
  integrity: IntegrityStatus;
  health: HealthSnapshot;
  modules: ModuleView[];
}

export async function readDashboardState(port: number): Promise<DashboardState> {
  const [defense, integrity, health, healing] = await Promise.all([
    internalCall<DefenseOverview>(port, '/internal/v1/defense'),
    internalCall<IntegrityStatus>(port, '/internal/v1/integrity'),
    api<HealthSnapshot>(port, '/api/v1/health', { token: TEST_API_TOKEN }),
    internalCall<{ modules: ModuleView[] }>(port, '/internal/v1/healing'),
  ]);
  for (const [what, res] of Object.entries({ defense, integrity, health, healing }))
    if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${res.text}`);
  return { defense: defense.body, integrity: integrity.body, health: health.body, modules: healing.body.modules };
}

export interface WorkerProcess {
  port: number;
  running: RunningProcess;
}

/**
 * The worker as production runs it (`node --import tsx server/main.ts`), sampling the real host.
 * `integrityScan: false` is for a configuration without integrity paths, which never scans.
 */
export async function spawnWorkerProcess({
  dataDir,
  databaseUrl,
  config,
  integrityScan = true,
}: {
  dataDir: string;
  databaseUrl: string;
  config: string;
  integrityScan?: boolean;
}): Promise<WorkerProcess> {
  const port = await findFreePort();
  const vars = workerEnvVars({ dataDir, databaseUrl, vars: { WORKER_PORT: String(port), LOG_LEVEL: 'warn' } });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(vars.VIGIL_CONFIG!, config);
  const running = spawnTs('server/main.ts', { env: vars });
  await waitForHttp(port, { isAlive: () => running.child.exitCode === null && running.child.signalCode === null }).catch((error: Error) => {
    running.kill('SIGKILL');
    throw new Error(`${error.message}; stderr: ${running.stderr()}`);
  });
  if (!integrityScan) return { port, running };
  // The integrity monitor starts in the background; its first scan settles the status.
  await waitFor(async () => (await internalCall<IntegrityStatus>(port, '/internal/v1/integrity')).body?.lastScan, {
    timeoutMs: 20_000,
    what: 'the first integrity scan',
  });
  return { port, running };
}
