// The console side of bench/fleet-load.ts: console worker processes on PostgreSQL (one, or HA
// replicas sharing the console's signing key), their CPU and memory from /proc, and the simulated
// agents' processes.
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitForHttp } from '@/server/test-support/http';
import { spawnNode, type RunningProcess } from '@/server/test-support/processes';
import { waitFor } from '@/server/test-support/wait';
import { workerEnvVars } from '@/server/test-support/worker-env';
import { processCpuMs, REPO_ROOT } from './common';
import type { AgentsRequest } from './fleet-load-agents';

export interface ConsoleWorker {
  node: string;
  port: number;
  dataDir: string;
  running: RunningProcess;
}

export interface ConsoleOptions {
  node: string;
  port: number;
  baseDir: string;
  databaseUrl: string;
  ha: boolean;
  /** Where `--cpu-prof` writes the worker's profile; none when undefined. */
  cpuProfDir?: string;
}

/** A console worker as production starts it (`node --import tsx server/main.ts`); the first one's key signs for every replica. */
export async function startConsole({ node, port, baseDir, databaseUrl, ha, cpuProfDir }: ConsoleOptions): Promise<ConsoleWorker> {
  const dataDir = path.join(baseDir, node);
  mkdirSync(path.join(dataDir, 'fleet'), { recursive: true, mode: 0o700 });
  const sharedKey = path.join(baseDir, 'console.key');
  try {
    copyFileSync(sharedKey, path.join(dataDir, 'fleet', 'console.key'));
  } catch {
    /* the first console creates the key */
  }
  const configFile = path.join(baseDir, 'vigil.config.yaml');
  try {
    readFileSync(configFile);
  } catch {
    writeFileSync(configFile, '{}\n');
  }
  const vars: Record<string, string> = {
    WORKER_PORT: String(port),
    LOG_LEVEL: 'warn',
    VIGIL_CONFIG: configFile,
    // Every simulated agent enrolls from 127.0.0.1.
    VIGIL_FLEET_ENROLLMENTS_PER_MINUTE: '100000',
    ...(ha && { VIGIL_HA: 'true', VIGIL_NODE_ID: node }),
  };
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const running = spawnNode([...profile, '--import', 'tsx', 'server/main.ts'], { env: workerEnvVars({ dataDir, databaseUrl, vars }) });
  await waitForHttp(port, { timeoutMs: 120_000, isAlive: () => running.child.exitCode === null && running.child.signalCode === null }).catch((error: Error) => {
    running.kill('SIGKILL');
    throw new Error(`${error.message}; stderr: ${running.stderr()}`);
  });
  // Created by the fleet's console side, which has started before /healthz first answers 200 (503 `starting` until then).
  const ownKey = path.join(dataDir, 'fleet', 'console.key');
  await waitFor(() => existsSync(ownKey) || undefined, { timeoutMs: 120_000, what: `${node}'s fleet key` });
  if (!existsSync(sharedKey)) copyFileSync(ownKey, sharedKey);
  return { node, port, dataDir, running };
}

/** Stops a console; one that has not exited `graceMs` after SIGTERM is killed. Resolves with how it ended. */
export async function stopConsole(worker: ConsoleWorker, signal: NodeJS.Signals = 'SIGTERM', graceMs = 60_000): Promise<{ exitedMs: number; killed: boolean }> {
  const startedAt = performance.now();
  if (worker.running.child.exitCode !== null || worker.running.child.signalCode !== null) return { exitedMs: 0, killed: false };
  worker.running.kill(signal);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    worker.running.kill('SIGKILL');
  }, graceMs);
  await worker.running.exited;
  clearTimeout(timer);
  return { exitedMs: Math.round(performance.now() - startedAt), killed };
}

/** CPU time (ms) and resident memory (MiB) of a process now. */
export function usageOf(pid: number): { cpuMs: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs: processCpuMs(pid), rssMiB: Math.round(rssKiB / 1024) };
}

/** A process of simulated agents, asked one question at a time. */
export class AgentsProcess {
  private readonly child: ChildProcess;
  private waiting: Array<(message: unknown) => void> = [];

  constructor() {
    this.child = fork(path.join(REPO_ROOT, 'bench/lib/fleet-load-agents.ts'), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message) => this.waiting.shift()?.(message));
  }

  get pid(): number {
    return this.child.pid!;
  }

  ask<T>(request: AgentsRequest, timeoutMs = 300_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agents process: no answer to ${request.kind} within ${timeoutMs / 1000} s`)), timeoutMs);
      this.waiting.push((message) => {
        clearTimeout(timer);
        const failed = message as { kind: string; message?: string };
        if (failed.kind === 'failed') reject(new Error(`agents process: ${failed.message}`));
        else resolve(message as T);
      });
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.ask({ kind: 'stop' }, 10_000).catch(() => this.child.kill('SIGKILL'));
    await exited;
  }
}
