import os from 'node:os';
import { readFile, readdir, statfs } from 'node:fs/promises';
import type { DiskUsage, SystemSample } from '@/lib/health/score';
import { listMounts } from './mounts';

export { listMounts };

interface CpuTimes {
  idle: number;
  total: number;
}

function readCpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

async function diskUsage(mount: string): Promise<DiskUsage | null> {
  try {
    const s = await statfs(mount);
    const total = s.blocks * s.bsize;
    if (total === 0) return null;
    // Like df: what unprivileged users can still write is what counts as free.
    const free = s.bavail * s.bsize;
    const used = total - s.bfree * s.bsize;
    const usedPercent = (used / (used + free)) * 100;
    return { mount, usedPercent: Math.min(100, Math.max(0, usedPercent)), totalBytes: total, freeBytes: free };
  } catch {
    return null;
  }
}

async function countProcessesAndThreads(): Promise<{ processes: number; threads: number }> {
  try {
    // The fourth field of /proc/loadavg is running/total scheduling entities: every thread.
    const [entries, loadavg] = await Promise.all([readdir('/proc'), readFile('/proc/loadavg', 'utf8')]);
    const processes = entries.filter((e) => e.charCodeAt(0) >= 48 && e.charCodeAt(0) <= 57).length;
    const threads = Number(loadavg.split(' ')[3]?.split('/')[1] ?? 0);
    return { processes, threads: Number.isFinite(threads) ? threads : 0 };
  } catch {
    return { processes: 0, threads: 0 };
  }
}

export interface SystemSamplerOptions {
  /** Mount points to watch; all real filesystems when null. */
  mounts: string[] | null;
}

/** CPU use is a difference of two readings; closer than this, it is mostly noise. */
const MIN_CPU_WINDOW_MS = 1000;

export class SystemSampler {
  private previous: CpuTimes = readCpuTimes();
  private previousAt = Date.now();
  /** Configured mount points, or null: whatever real filesystems are mounted at each sample. */
  private readonly mounts: string[] | null;

  constructor(options: SystemSamplerOptions) {
    this.mounts = options.mounts;
  }

  async sample(now = new Date()): Promise<SystemSample> {
    const elapsed = Date.now() - this.previousAt;
    if (elapsed < MIN_CPU_WINDOW_MS) await new Promise((resolve) => setTimeout(resolve, MIN_CPU_WINDOW_MS - elapsed));
    this.previousAt = Date.now();
    const current = readCpuTimes();
    const totalDelta = current.total - this.previous.total;
    const idleDelta = current.idle - this.previous.idle;
    this.previous = current;
    const cpuPercent = totalDelta > 0 ? Math.min(100, Math.max(0, (1 - idleDelta / totalDelta) * 100)) : 0;

    const memoryTotalBytes = os.totalmem();
    const memoryUsedBytes = memoryTotalBytes - os.freemem();
    const [load1, load5, load15] = os.loadavg();
    const [disks, counts] = await Promise.all([
      // Looked up at every sample: a list taken once at start would keep whatever happened to be mounted then.
      (this.mounts ? Promise.resolve(this.mounts) : listMounts()).then((mounts) => Promise.all(mounts.map(diskUsage))),
      countProcessesAndThreads(),
    ]);
    return {
      at: now.toISOString(),
      cpuPercent: round(cpuPercent),
      memoryPercent: round((memoryUsedBytes / memoryTotalBytes) * 100),
      memoryUsedBytes,
      memoryTotalBytes,
      load1: round(load1),
      load5: round(load5),
      load15: round(load15),
      cores: os.cpus().length,
      processes: counts.processes,
      threads: counts.threads,
      uptimeSeconds: Math.round(os.uptime()),
      disks: disks.filter((d): d is DiskUsage => d !== null).map((d) => ({ ...d, usedPercent: round(d.usedPercent) })),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
