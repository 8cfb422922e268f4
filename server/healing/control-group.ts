import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessLimits } from '@/lib/healing/process-limits';

/** Where the kernel's control groups are, and which interface it offers for each controller. */
export type CgroupLayout = { version: 2; root: string } | { version: 1; mounts: Partial<Record<Controller, string>> } | { version: 0; reason: string };

type Controller = 'memory' | 'cpu' | 'pids';
const CONTROLLERS: readonly Controller[] = ['memory', 'cpu', 'pids'];
/** One directory under each hierarchy holds every module's group: easy to find, easy to clean. */
const PARENT = 'vigil-modules';
const CPU_PERIOD_US = 100_000;

export class CgroupUnavailableError extends Error {
  override readonly name = 'CgroupUnavailableError';
}

/**
 * cgroup v2 when the unified hierarchy offers the controllers a limit needs; otherwise the v1
 * hierarchies (a hybrid host has both, with memory and cpu bound to v1). Read from
 * /proc/self/mounts, so a container's own view is what counts.
 */
export function detectCgroupLayout(mountsText = readText('/proc/self/mounts') ?? ''): CgroupLayout {
  const mounts = mountsText.split('\n').map((line) => line.split(' '));
  const unified = mounts.find((m) => m[2] === 'cgroup2')?.[1];
  const unifiedControllers = unified ? (readText(path.join(unified, 'cgroup.controllers')) ?? '').trim().split(/\s+/) : [];
  if (unified && unifiedControllers.includes('memory') && unifiedControllers.includes('cpu')) return { version: 2, root: unified };
  const v1: Partial<Record<Controller, string>> = {};
  for (const [, dir, type, options] of mounts) {
    if (type !== 'cgroup' || !options) continue;
    const names = options.split(',');
    for (const controller of CONTROLLERS) if (names.includes(controller) && !v1[controller]) v1[controller] = dir;
  }
  if (v1.memory || v1.cpu) return { version: 1, mounts: v1 };
  return { version: 0, reason: 'this host has no memory or cpu control group mounted' };
}

/** A module's control group: limits written, processes moved in by the launcher, OOM kills counted. */
export class ModuleControlGroup {
  private constructor(
    private readonly layout: Exclude<CgroupLayout, { version: 0 }>,
    /** One directory per hierarchy (v2: one). */
    private readonly dirs: Partial<Record<Controller, string>>,
  ) {}

  /**
   * Creates (or reuses, after a crash of the worker) the module's group and writes its limits.
   * `scope` tells apart the modules of two workers on one host (their data directories).
   */
  static open(layout: CgroupLayout, scope: string, module: string, limits: ProcessLimits): ModuleControlGroup {
    if (layout.version === 0) throw new CgroupUnavailableError(layout.reason);
    const leaf = `${createHash('sha256').update(scope).digest('hex').slice(0, 8)}-${module}`;
    const dirs: Partial<Record<Controller, string>> = {};
    const wanted = wantedControllers(limits);
    try {
      if (layout.version === 2) {
        const parent = path.join(layout.root, PARENT);
        // v2 hands a controller to children only through each ancestor's subtree_control.
        enable(layout.root, wanted);
        mkdirSync(parent, { recursive: true });
        enable(parent, wanted);
        const dir = path.join(parent, leaf);
        mkdirSync(dir, { recursive: true });
        for (const controller of wanted) dirs[controller] = dir;
      } else {
        for (const controller of wanted) {
          const mount = layout.mounts[controller];
          if (!mount) throw new CgroupUnavailableError(`the ${controller} controller is not mounted`);
          const dir = path.join(mount, PARENT, leaf);
          mkdirSync(dir, { recursive: true });
          dirs[controller] = dir;
        }
      }
      const group = new ModuleControlGroup(layout, dirs);
      group.apply(limits);
      return group;
    } catch (error) {
      if (error instanceof CgroupUnavailableError) throw error;
      throw new CgroupUnavailableError(`could not set up a control group: ${(error as Error).message}`);
    }
  }

  /** The files a process writes its pid into to join the group, one per hierarchy. */
  get procsFiles(): string[] {
    return [...new Set(Object.values(this.dirs))].map((dir) => path.join(dir, 'cgroup.procs'));
  }

  /** Times the kernel's OOM killer has ended a process of this group, since the group was made. */
  oomKills(): number {
    const dir = this.dirs.memory;
    if (!dir) return 0;
    const text = readText(path.join(dir, this.layout.version === 2 ? 'memory.events' : 'memory.oom_control')) ?? '';
    const match = /^oom_kill (\d+)$/m.exec(text);
    return match ? Number(match[1]) : 0;
  }

  /** Removes the group once nothing runs in it; the kernel refuses while a task is left, which is fine. */
  remove(): void {
    for (const dir of new Set(Object.values(this.dirs))) {
      try {
        rmdirSync(dir);
      } catch {
        // Busy (a process is still inside) or already gone: the next open reuses it.
      }
    }
  }

  private apply(limits: ProcessLimits): void {
    const v2 = this.layout.version === 2;
    if (limits.memory !== undefined && this.dirs.memory) {
      const dir = this.dirs.memory;
      if (v2) {
        write(dir, 'memory.max', String(limits.memory));
        // Without it a process over its limit swaps instead of being stopped.
        if (existsSync(path.join(dir, 'memory.swap.max'))) write(dir, 'memory.swap.max', '0');
      } else {
        write(dir, 'memory.limit_in_bytes', String(limits.memory));
        if (existsSync(path.join(dir, 'memory.memsw.limit_in_bytes'))) write(dir, 'memory.memsw.limit_in_bytes', String(limits.memory));
      }
    }
    if (limits.cpu !== undefined && this.dirs.cpu) {
      const quota = Math.max(1000, Math.round(limits.cpu * CPU_PERIOD_US));
      if (v2) write(this.dirs.cpu, 'cpu.max', `${quota} ${CPU_PERIOD_US}`);
      else {
        write(this.dirs.cpu, 'cpu.cfs_period_us', String(CPU_PERIOD_US));
        write(this.dirs.cpu, 'cpu.cfs_quota_us', String(quota));
      }
    }
    if (limits.tasks !== undefined && this.dirs.pids) write(this.dirs.pids, 'pids.max', String(limits.tasks));
  }
}

function wantedControllers(limits: ProcessLimits): Controller[] {
  const wanted: Controller[] = [];
  if (limits.memory !== undefined) wanted.push('memory');
  if (limits.cpu !== undefined) wanted.push('cpu');
  if (limits.tasks !== undefined) wanted.push('pids');
  return wanted;
}

function enable(dir: string, controllers: Controller[]): void {
  const current = (readText(path.join(dir, 'cgroup.subtree_control')) ?? '').trim().split(/\s+/);
  const missing = controllers.filter((c) => !current.includes(c));
  if (missing.length > 0) write(dir, 'cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
}

function write(dir: string, file: string, value: string): void {
  writeFileSync(path.join(dir, file), value);
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The launcher: a shell that moves itself into the group, then becomes the program. Every byte
 * the program allocates is inside the group from its first instruction, with no window between
 * spawn and the move. Arguments stay arguments (never parsed by the shell).
 */
export function launchInGroup(procsFiles: string[], program: string, args: string[]): { program: string; args: string[] } {
  const script = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';
  return { program: '/bin/sh', args: ['-c', script, 'vigil-limits', String(procsFiles.length), ...procsFiles, program, ...args] };
}
