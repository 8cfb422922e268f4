import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
