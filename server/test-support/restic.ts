import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import { offsiteRepositorySchema } from '@/lib/config/offsite-config';
import { requireProgram } from './system-program';

export const resticPath = () => requireProgram({ paths: ['/usr/bin/restic'], aptPackage: 'restic' });

/** A repository as the config file would give it, with its password in a file of its own. */
export function repoConfig(input: {
  name: string;
  repository: string;
  passwordFile: string;
  options?: Record<string, string>;
  keep?: Record<string, number>;
}): OffsiteRepositoryConfig {
  return offsiteRepositorySchema.parse(input);
}

/** `restic init`, as an operator does once before naming the repository in the config. */
export function initRepository(repo: OffsiteRepositoryConfig, password: string): void {
  writeFileSync(repo.passwordFile!, `${password}\n`, { mode: 0o600 });
  const options = Object.entries(repo.options).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
  execFileSync(resticPath(), ['--repo', repo.repository, ...options, 'init'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      RESTIC_PASSWORD_FILE: repo.passwordFile!,
    } as unknown as NodeJS.ProcessEnv,
    stdio: 'pipe',
  });
}

/** The restic processes this process started, from /proc (the copy-killed-halfway test ends one). */
export function resticChildren(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'restic' && ppid === process.pid) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function resticEnv(repo: OffsiteRepositoryConfig): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    RESTIC_PASSWORD_FILE: repo.passwordFile!,
  } as unknown as NodeJS.ProcessEnv;
}

/** The locks restic holds in a local-path repository, as restic itself lists them. */
export function resticLocks(repo: OffsiteRepositoryConfig): string[] {
  const out = execFileSync(resticPath(), ['--repo', repo.repository, '--no-lock', 'list', 'locks'], { env: resticEnv(repo), encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

function lockMode(file: string): number {
  try {
    return statSync(file).mode;
  } catch {
    return 0o600;
  }
}

/**
 * Another restic holding a local-path repository's exclusive lock, as an operator's own
 * `restic check` would: a check is started and frozen (SIGSTOP) once its lock file exists.
 * A check that ends before it is caught is started again.
 */
export function holdResticLock(repo: OffsiteRepositoryConfig): { locked: Promise<void>; release(): Promise<void> } {
  let child: ChildProcess | null = null;
  let stopped = false;
  const locks = path.join(repo.repository, 'locks');
  const locked = (async () => {
    for (let attempt = 0; attempt < 50 && !stopped; attempt++) {
      const run = spawn(resticPath(), ['--repo', repo.repository, 'check', '--read-data'], { env: resticEnv(repo), stdio: 'ignore' });
      child = run;
      const exited = new Promise<void>((resolve) => run.once('exit', () => resolve()));
      let ended = false;
      void exited.then(() => void (ended = true));
      while (!ended) {
        // restic makes a lock file read-only once it is written: before that another restic cannot read it.
        if (readdirSync(locks).some((name) => (lockMode(path.join(locks, name)) & 0o222) === 0)) {
          run.kill('SIGSTOP');
          stopped = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (stopped && !ended) return;
      stopped = false;
    }
    throw new Error('restic check never held the lock long enough to be caught');
  })();
  return {
    locked,
    async release() {
      const run = child as ChildProcess | null;
      if (!run || run.exitCode !== null || run.signalCode !== null) return;
      const exited = new Promise((resolve) => run.once('exit', resolve));
      run.kill('SIGCONT');
      await exited;
    },
  };
}
