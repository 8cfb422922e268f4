import type { SystemSample } from '@/lib/health/score';
import type { Sampler } from '../health/health-monitor';

export interface Load {
  cpuPercent: number;
  memoryPercent: number;
  diskPercent: number;
  load1: number;
}

const QUIET: Load = { cpuPercent: 10, memoryPercent: 20, diskPercent: 30, load1: 0 };
const CORES = 2;

/**
 * The load that scores exactly `score` under the default weights: CPU first
 * (1 point per % above 70), then memory (1.4 points per % above 75), then disk
 * (1.75 points per % above 80). Checked against computeHealthScore in its own test.
 */
export function loadForScore(score: number): Load {
  if (!Number.isInteger(score) || score < 0 || score > 100) throw new Error(`score must be an integer 0-100, got ${score}`);
  let missing = 100 - score;
  const cpu = Math.min(missing, 30);
  missing -= cpu;
  const memory = Math.min(missing, 35);
  missing -= memory;
  const disk = missing;
  return {
    cpuPercent: cpu > 0 ? 70 + cpu : QUIET.cpuPercent,
    memoryPercent: memory > 0 ? Math.min(100, 75 + memory / 1.4 + 1e-6) : QUIET.memoryPercent,
    diskPercent: disk > 0 ? Math.min(100, 80 + disk / 1.75 + 1e-6) : QUIET.diskPercent,
    load1: 0,
  };
}

export function makeSample(load: Partial<Load> = {}, at: Date = new Date()): SystemSample {
  const { cpuPercent, memoryPercent, diskPercent, load1 } = { ...QUIET, ...load };
  const totalBytes = 100 * 1024 ** 3;
  const memoryTotalBytes = 8 * 1024 ** 3;
  return {
    at: at.toISOString(),
    cpuPercent,
    memoryPercent,
    memoryUsedBytes: Math.round((memoryTotalBytes * memoryPercent) / 100),
    memoryTotalBytes,
    load1,
    load5: load1,
    load15: load1,
    cores: CORES,
    processes: 100,
    threads: 400,
    uptimeSeconds: 1000,
    disks: [{ mount: '/', usedPercent: diskPercent, totalBytes, freeBytes: Math.round(totalBytes * (1 - diskPercent / 100)) }],
  };
}

/**
 * A Sampler that reports exactly the load it is told, so scores and degradation
 * levels are deterministic. `at` comes from the clock when one is set.
 */
export class FixedSampler implements Sampler {
  private load: Load;
  private clock: (() => Date) | null = null;
  readonly taken: SystemSample[] = [];

  constructor(load: Partial<Load> = {}) {
    this.load = { ...QUIET, ...load };
  }

  /** Sets the load of every following sample. */
  set(load: Partial<Load>): this {
    this.load = { ...QUIET, ...load };
    return this;
  }

  scoreWillBe(score: number): this {
    return this.set(loadForScore(score));
  }

  /** Makes the following samples carry this time (a Date, or a function called per sample). */
  at(time: Date | (() => Date) | null): this {
    this.clock = time === null ? null : typeof time === 'function' ? time : () => time;
    return this;
  }

  async sample(now?: Date): Promise<SystemSample> {
    const sample = makeSample(this.load, this.clock?.() ?? now ?? new Date());
    this.taken.push(sample);
    return sample;
  }
}
