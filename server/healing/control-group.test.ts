import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnose } from '@/lib/healing/diagnosis';
import { processModuleSchema } from '@/lib/healing/module-schema';
import { makeTempDir, waitFor, type TempDir } from '../test-support';
import { detectCgroupLayout, ModuleControlGroup } from './control-group';
import { exitFinding } from './detectors';
import { readProcStat } from './process-group';
import { SupervisedProcess, type ProcessExit } from './supervisor';

// Real control groups of this host (cgroup v2 where it offers memory and cpu, else v1). The
// worker runs as root in CI; without a cgroup to write to, these tests fail, they do not skip.
const SEARCH_PATH = '/usr/local/bin:/usr/bin:/bin';

let tmp: TempDir;
let supervisors: SupervisedProcess[];
beforeEach(() => {
  tmp = makeTempDir('vigil-cgroup-');
  supervisors = [];
});
afterEach(async () => {
  await Promise.all(supervisors.map((s) => s.close()));
  tmp.remove();
});

function supervise(name: string, script: string, limits: Record<string, unknown>, onExit: (exit: ProcessExit) => void = () => undefined) {
  const definition = processModuleSchema.parse({ name, kind: 'process', command: [process.execPath, '-e', script], limits });
  const supervisor = new SupervisedProcess(definition, { searchPath: SEARCH_PATH, onExit, cgroupScope: tmp.path });
  supervisors.push(supervisor);
  return supervisor;
}

/** The control group paths of a process, from /proc/<pid>/cgroup. */
const cgroupsOf = (pid: number): string => readFileSync(`/proc/${pid}/cgroup`, 'utf8');

describe('kernel-enforced limits on supervised processes', () => {
  it('finds memory and cpu controllers on this host', () => {
    const layout = detectCgroupLayout();
    expect(layout.version, 'reason' in layout ? layout.reason : '').toBeGreaterThan(0);
  });

  it('the memory limit ends it with a truthful cause', async () => {
    const exits: ProcessExit[] = [];
    // Grows by 8 MiB every 20 ms and touches every page, far past its 48 MiB limit.
    const hog = 'const keep = []; setInterval(() => keep.push(Buffer.alloc(8 * 1024 * 1024, 1)), 20);';
    const supervisor = supervise('hog', hog, { memory: '48MB' }, (exit) => exits.push(exit));
    await supervisor.start();
    await waitFor(() => exits.length === 1, { timeoutMs: 20_000 });
    expect(exits[0].signal).toBe('SIGKILL');
    expect(exits[0].memoryLimitKill).toEqual({ limitBytes: 48 * 1024 ** 2 });
    expect(supervisor.logs.tail(5).map((l) => l.text)).toContain('killed by SIGKILL: it reached its memory limit');

    const finding = exitFinding(exits[0]);
    expect(finding.message).toMatch(/at its memory limit of 48 MiB/);
    const diagnosis = diagnose({
      findings: [finding],
      critical: false,
      consecutiveFailures: 1,
      failureThreshold: 1,
      host: { memoryPercent: 20, cpuPercent: 5 },
      dependenciesDown: [],
      dependents: 0,
      recentRestarts: 0,
    });
    expect(diagnosis.rootCause).toBe('resource_exhaustion');
    expect(diagnosis.reasons.join(' ')).toMatch(/memory limit of 48 MiB/);
  });

  it('a process under its memory limit is left alone, and a plain kill is not blamed on the limit', async () => {
    const exits: ProcessExit[] = [];
    const supervisor = supervise('calm', 'setInterval(() => {}, 1000)', { memory: '256MB' }, (exit) => exits.push(exit));
    await supervisor.start();
    process.kill(supervisor.pid!, 'SIGKILL');
    await waitFor(() => exits.length === 1, { timeoutMs: 10_000 });
    expect(exits[0].signal).toBe('SIGKILL');
    expect(exits[0].memoryLimitKill).toBeUndefined();
  });

  it('throttles a busy process to its share of a core: its group has the quota, and it runs in that group', async () => {
    const supervisor = supervise('spin', 'for (;;) {}', { cpu: 0.2 });
    await supervisor.start();
    const pid = supervisor.pid!;
    const layout = detectCgroupLayout();
    const controller = layout.version === 2 ? '' : 'cpu';
    const line = await waitFor(() =>
      cgroupsOf(pid)
        .split('\n')
        .find((l) => l.split(':')[1] === controller && /vigil-modules\/[0-9a-f]{8}-spin$/.test(l)),
    );
    const dir = path.join(layout.version === 2 ? layout.root : layout.version === 1 ? layout.mounts.cpu! : '', line.split(':')[2]);
    // How the kernel throttles is the kernel's business; what it is told, and about whom, is ours.
    if (layout.version === 2) expect(readFileSync(path.join(dir, 'cpu.max'), 'utf8').trim()).toBe('20000 100000');
    else {
      expect(readFileSync(path.join(dir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('20000');
      expect(readFileSync(path.join(dir, 'cpu.cfs_period_us'), 'utf8').trim()).toBe('100000');
    }
  });

  it('caps the number of tasks, so a fork bomb stops at the limit', async () => {
    const exits: ProcessExit[] = [];
    const forks = [
      "const { spawn } = require('node:child_process');",
      'let made = 0, refused = 0;',
      "for (let i = 0; i < 12; i++) { try { const c = spawn('sleep', ['30']); c.on('error', () => refused++); made++; } catch { refused++; } }",
      'setTimeout(() => { console.log(JSON.stringify({ made, refused })); process.exit(0); }, 1500);',
    ].join('\n');
    const supervisor = supervise('forks', forks, { tasks: 16 }, (exit) => exits.push(exit));
    await supervisor.start();
    await waitFor(() => exits.length === 1, { timeoutMs: 15_000 });
    // 'exit' can come before the last of its output has been read from the pipe.
    const line = await waitFor(
      () =>
        supervisor.logs
          .tail(20)
          .map((l) => l.text)
          .find((text) => text.startsWith('{')),
      { what: 'the fork counts in its log' },
    );
    const { refused } = JSON.parse(line) as { made: number; refused: number };
    // node itself holds about ten threads of the sixteen: most spawns are refused by the kernel.
    expect(refused).toBeGreaterThan(0);
  });

  it('runs the process inside its group, and removes the group once the module is closed', async () => {
    const supervisor = supervise('tidy', 'setInterval(() => {}, 1000)', { memory: '128MB' });
    await supervisor.start();
    const pid = supervisor.pid!;
    // The launcher moves itself into the group first thing, then becomes the program.
    const memoryLine = await waitFor(() =>
      cgroupsOf(pid)
        .split('\n')
        .find((line) => /vigil-modules\/[0-9a-f]{8}-tidy$/.test(line)),
    );
    const relative = memoryLine.split(':')[2];
    const layout = detectCgroupLayout();
    const root = layout.version === 2 ? layout.root : layout.version === 1 ? layout.mounts.memory! : '';
    const dir = path.join(root, relative);
    expect(existsSync(dir)).toBe(true);
    await supervisor.close();
    expect(readProcStat(pid)).toBeNull();
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a limit the kernel would not take, at the boundary', () => {
    const parse = (limits: unknown) => processModuleSchema.safeParse({ name: 'x', kind: 'process', command: ['true'], limits });
    expect(parse({ memory: '1KB' }).success).toBe(false);
    expect(parse({ memory: 'lots' }).success).toBe(false);
    expect(parse({ cpu: 0 }).success).toBe(false);
    expect(parse({}).success).toBe(false);
    expect(parse({ memory: '1.5 GB', cpu: 0.5, tasks: 64 }).data?.limits).toEqual({ memory: 1.5 * 1024 ** 3, cpu: 0.5, tasks: 64 });
  });

  it('opens the same group again after a crash of the worker (same scope and module)', () => {
    const layout = detectCgroupLayout();
    const first = ModuleControlGroup.open(layout, tmp.path, 'again', { memory: 64 * 1024 ** 2 });
    const second = ModuleControlGroup.open(layout, tmp.path, 'again', { memory: 64 * 1024 ** 2 });
    expect(second.procsFiles).toEqual(first.procsFiles);
    second.remove();
  });
});
