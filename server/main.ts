import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadWorkerEnv } from './env/worker-env';
import { EnvError } from './env/env-error';
import { SystemSampler } from './health/system-sampler';
import type { Worker } from './worker';
import { createLogger } from './log';

async function main(): Promise<void> {
  const env = loadWorkerEnv();
  // The first health sample needs a CPU window of a second, and the worker is ready only after
  // it: opened here, before the worker's code is even loaded, the window runs while that code
  // loads and the database opens and migrates, instead of after.
  const sampler = new SystemSampler({ mounts: env.diskMounts });
  const { startWorker } = await import('./worker');
  const log = createLogger('worker', env.logLevel);
  const pidFile = path.join(env.dataDir, 'worker.pid');
  writeFileSync(pidFile, String(process.pid));
  // Handlers go in before the (slow) start, so a stop during start is still orderly.
  let worker: Worker | null = null;
  let stopRequested: { signal: string; exitCode: number } | null = null;
  let stopping = false;
  const stop = (signal: string, exitCode = 0) => {
    if (!worker) {
      stopRequested ??= { signal, exitCode };
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
    worker = await startWorker({
      env,
      log,
      sampler,
      onLeadershipLost: () => {
        // An orderly close must not keep a former leader around: it is gone within 10 s either way.
        setTimeout(() => process.exit(75), 10_000).unref();
        stop('leadership lost', 75);
      },
    });
  } catch (error) {
    rmSync(pidFile, { force: true });
    throw error;
  }
  // Set by a signal handler during the start; TypeScript cannot see that assignment.
  const requested = stopRequested as { signal: string; exitCode: number } | null;
  if (requested) stop(requested.signal, requested.exitCode);
}

main().catch(async (error: unknown) => {
  const { PortInUseError } = await import('./http/http-server');
  if (error instanceof EnvError || error instanceof PortInUseError) {
    process.stderr.write(`vigil worker: ${error.message}\n`);
  } else {
    process.stderr.write(`vigil worker: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
