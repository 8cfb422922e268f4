import type { DatabaseProvider } from '../db/database-url';
import type { WorkerEnv } from '../env/worker-env';
import type { Sampler } from '../health/health-monitor';
import { startWorker, type Worker } from '../worker';
import { createEmptyDatabase, type EmptyDatabase } from './databases';
import { FixedSampler } from './fixed-sampler';
import { silentLogger } from './log';
import { workerEnvFor, type WorkerEnvForOptions } from './worker-env';

export interface TestWorker {
  worker: Worker;
  env: WorkerEnv;
  db: EmptyDatabase;
  sampler: Sampler;
  port: number;
  /** Closes the worker (if still open) and destroys the database and temp dir. */
  destroy(): Promise<void>;
}

export interface StartTestWorkerOptions extends Omit<Partial<WorkerEnvForOptions>, 'dataDir' | 'databaseUrl'> {
  provider?: DatabaseProvider;
  sampler?: Sampler;
}

/** A real worker on 127.0.0.1 (ephemeral port) over a fresh database, fed by a fixed sampler. */
export async function startTestWorker({ provider = 'sqlite', sampler = new FixedSampler(), ...envOptions }: StartTestWorkerOptions = {}): Promise<TestWorker> {
  const db = await createEmptyDatabase(provider);
  const env = workerEnvFor({ dataDir: db.dir.join('data'), databaseUrl: db.url, ...envOptions });
  let worker: Worker;
  try {
    worker = await startWorker({ env, sampler, log: silentLogger() });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    worker,
    env,
    db,
    sampler,
    port: worker.port,
    async destroy() {
      try {
        await worker.close('test finished');
      } finally {
        await db.destroy();
      }
    },
  };
}
