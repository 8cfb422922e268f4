import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadWorkerEnv } from './env/worker-env';
import { EnvError } from './env/env-error';
import { PortInUseError } from './http/http-server';
import { startWorker, type Worker } from './worker';
import { createLogger } from './log';

async function main(): Promise<void> {
  const env = loadWorkerEnv();
  const log = createLogger('worker', env.logLevel);
  const pidFile = path.join(env.dataDir, 'worker.pid');
  writeFileSync(pidFile, String(process.pid));
  // Handlers go in before the (slow) start, so a stop during start is still orderly.
  let worker: Worker | null = null;
  let stopRequested: string | null = null;
  let stopping = false;
  const stop = (signal: string, exitCode = 0) => {
    if (!worker) {
      stopRequested ??= signal;
      return;
    }
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    worker
      .close(`received ${signal}`)
      .catch((error) => log.error({ err: error }, 'shutdown was not clean'))
      .finally(() => {
        rmSync(pidFile, { force: true });
        process.exit(exitCode);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    // Like Kubernetes' controllers: a leader that lost its lease exits, and the launcher
    // (or systemd) starts it again as a clean standby; no half-stopped state is kept.
    worker = await startWorker({ env, log, onLeadershipLost: () => stop('leadership lost', 75) });
  } catch (error) {
    rmSync(pidFile, { force: true });
    throw error;
  }
  if (stopRequested) stop(stopRequested);
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof PortInUseError) {
    process.stderr.write(`vigil worker: ${error.message}\n`);
  } else {
    process.stderr.write(`vigil worker: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
