import { z } from 'zod';

export const diskUsageSchema = z.object({
  mount: z.string(),
  usedPercent: z.number().min(0).max(100),
  totalBytes: z.number().nonnegative(),
  freeBytes: z.number().nonnegative(),
});
export type DiskUsage = z.infer<typeof diskUsageSchema>;

export const systemSampleSchema = z.object({
  at: z.string(),
  cpuPercent: z.number().min(0).max(100),
  memoryPercent: z.number().min(0).max(100),
  memoryUsedBytes: z.number().nonnegative(),
  memoryTotalBytes: z.number().nonnegative(),
  load1: z.number().nonnegative(),
  load5: z.number().nonnegative(),
  load15: z.number().nonnegative(),
  cores: z.number().int().positive(),
  processes: z.number().int().nonnegative(),
  threads: z.number().int().nonnegative(),
  uptimeSeconds: z.number().nonnegative(),
  disks: z.array(diskUsageSchema),
});
export type SystemSample = z.infer<typeof systemSampleSchema>;

export interface Deduction {
  factor: 'cpu' | 'memory' | 'disk' | 'load' | 'modules';
  points: number;
  detail: string;
}

export interface HealthScore {
  score: number;
  deductions: Deduction[];
}

/**
 * Points a resource takes away: nothing below `from` percent, rising linearly to
 * `max` points at 100 %. The knees sit where operators usually start to worry
 * (CPU 70 %, memory 75 %, disk 80 %); the maxima let one saturated resource alone
 * push the host into LEVEL_1, two into LEVEL_3, and only a host failing on several
 * fronts into EMERGENCY.
 */
export interface ScoreWeights {
  cpu: { from: number; max: number };
  memory: { from: number; max: number };
  disk: { from: number; max: number };
  /** load per core: nothing below `from`, `max` points at `to` and beyond */
  load: { from: number; to: number; max: number };
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  cpu: { from: 70, max: 30 },
  memory: { from: 75, max: 35 },
  disk: { from: 80, max: 35 },
  load: { from: 1, to: 3, max: 15 },
};

function ramp(value: number, from: number, to: number, max: number): number {
  if (value <= from) return 0;
  if (value >= to) return max;
  return ((value - from) / (to - from)) * max;
}

export interface ModuleHealth {
  name: string;
  state: string;
  critical: boolean;
}

/**
 * Points per module that is down or degraded; critical modules weigh more, since the host
 * is only as healthy as what it is for. Capped so modules alone reach LEVEL_2, not EMERGENCY.
 */
export const MODULE_POINTS = { down: { critical: 25, normal: 8 }, degraded: { critical: 10, normal: 3 }, cap: 50 } as const;

export function computeHealthScore(
  sample: Pick<SystemSample, 'cpuPercent' | 'memoryPercent' | 'disks' | 'load1' | 'cores'>,
  weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS,
  modules: readonly ModuleHealth[] = [],
): HealthScore {
  const deductions: Deduction[] = [];
  const add = (factor: Deduction['factor'], points: number, detail: string) => {
    if (points > 0) deductions.push({ factor, points: Math.round(points * 10) / 10, detail });
  };

  add('cpu', ramp(sample.cpuPercent, weights.cpu.from, 100, weights.cpu.max), `CPU at ${sample.cpuPercent.toFixed(0)} %`);
  add('memory', ramp(sample.memoryPercent, weights.memory.from, 100, weights.memory.max), `memory at ${sample.memoryPercent.toFixed(0)} %`);
  const fullest = sample.disks.reduce<DiskUsage | null>((worst, d) => (!worst || d.usedPercent > worst.usedPercent ? d : worst), null);
  if (fullest) {
    add('disk', ramp(fullest.usedPercent, weights.disk.from, 100, weights.disk.max), `${fullest.mount} at ${fullest.usedPercent.toFixed(0)} %`);
  }
  const perCore = sample.load1 / Math.max(1, sample.cores);
  add('load', ramp(perCore, weights.load.from, weights.load.to, weights.load.max), `load ${perCore.toFixed(2)} per core`);

  const failing = modules.filter((m) => m.state === 'down' || m.state === 'degraded');
  const modulePoints = failing.reduce((sum, m) => sum + MODULE_POINTS[m.state as 'down' | 'degraded'][m.critical ? 'critical' : 'normal'], 0);
  const names = failing.map((m) => `${m.name} ${m.state}${m.critical ? ' (critical)' : ''}`);
  add(
    'modules',
    Math.min(MODULE_POINTS.cap, modulePoints),
    names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`,
  );

  const total = deductions.reduce((sum, d) => sum + d.points, 0);
  return { score: Math.max(0, Math.min(100, Math.round(100 - total))), deductions };
}
