import path from 'node:path';
import { loadWorkerEnv, type WorkerEnv } from '../env/worker-env';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const TEST_API_TOKEN = 'vgl_test_admin_token_0123456789abcdef';

export interface WorkerEnvForOptions {
  dataDir: string;
  /** Defaults to the SQLite file in dataDir. */
  databaseUrl?: string;
  apiToken?: string | null;
  secret?: string;
  /** Any other variable, as the process would see it (e.g. VIGIL_DEGRADATION_CONFIRM_SAMPLES). */
  vars?: Record<string, string | undefined>;
}

/** The variables a test worker starts with: loopback, an ephemeral port, no log output. */
export function workerEnvVars({
  dataDir,
  databaseUrl,
  apiToken = TEST_API_TOKEN,
  secret = TEST_SECRET,
  vars = {},
}: WorkerEnvForOptions): Record<string, string | undefined> {
  return {
    VIGIL_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    VIGIL_SECRET: secret,
    VIGIL_API_TOKEN: apiToken ?? undefined,
    VIGIL_CONFIG: path.join(dataDir, 'vigil.config.yaml'),
    WORKER_PORT: '0',
    WORKER_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Tests tick the monitor themselves unless they ask for a timer.
    VIGIL_SAMPLE_INTERVAL_MS: '3600000',
    // Hashing the repository at every test worker's start would only slow the suite down.
    VIGIL_INTEGRITY_SELF: 'false',
    ...vars,
  };
}

/**
 * Goes through loadWorkerEnv like the real process does. WORKER_PORT=0 (and VIGIL_GUARD_PORT=0)
 * is below the schema's minimum of 1, so the port is parsed as 1 and replaced by 0 afterwards.
 */
export function workerEnvFor(options: WorkerEnvForOptions): WorkerEnv {
  const vars = workerEnvVars(options);
  const wantsEphemeral = vars.WORKER_PORT === '0';
  // The same for the dedicated guard process's port.
  const guardEphemeral = vars.VIGIL_GUARD_PORT === '0';
  const env = loadWorkerEnv({ ...vars, WORKER_PORT: wantsEphemeral ? '1' : vars.WORKER_PORT, VIGIL_GUARD_PORT: guardEphemeral ? '1' : vars.VIGIL_GUARD_PORT });
  return {
    ...env,
    ...(wantsEphemeral && { port: 0 }),
    ...(guardEphemeral && env.guardListen && { guardListen: { ...env.guardListen, port: 0 } }),
  };
}
