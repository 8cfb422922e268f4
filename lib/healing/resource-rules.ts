import { z } from 'zod';

/**
 * Monit-style rules for supervised processes: "restart if memory > 500 MB for 3 cycles",
 * "alert if cpu > 90 % for 2 minutes". A cycle is one probe of the module. Memory in a size is
 * the process's resident set; in % it is the share of the host's memory. CPU is % of one core.
 */
export interface ResourceRule {
  text: string;
  action: 'restart' | 'alert';
  metric: 'memory' | 'cpu';
  threshold: number;
  unit: 'bytes' | 'percent';
  /** Consecutive probes over the threshold, or how long it has stayed over (ms). */
  forCycles: number | null;
  forMs: number | null;
}

const SIZES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const DURATIONS: Record<string, number> = { s: 1000, second: 1000, seconds: 1000, m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000 };
const RULE = /^(restart|alert) if (memory|cpu) > (\d+(?:\.\d+)?) ?(%|b|kb|mb|gb)(?: for (\d+) ?(cycles?|s|seconds?|m|min|minutes?))?$/i;

export function parseResourceRule(text: string): ResourceRule | string {
  const match = RULE.exec(text.trim().replace(/\s+/g, ' '));
  if (!match) return 'expected "<restart|alert> if <memory|cpu> > <number> <%|B|KB|MB|GB> [for <n> <cycles|seconds|minutes>]"';
  const [, action, metric, number, rawUnit, count, per] = match;
  const unit = rawUnit.toLowerCase();
  if (metric.toLowerCase() === 'cpu' && unit !== '%') return 'CPU is measured in % of one core';
  const amount = Number(count ?? 1);
  if (amount < 1) return 'the duration must be at least 1';
  const cycles = per === undefined || /^cycles?$/i.test(per);
  return {
    text,
    action: action.toLowerCase() as ResourceRule['action'],
    metric: metric.toLowerCase() as ResourceRule['metric'],
    threshold: unit === '%' ? Number(number) : Number(number) * SIZES[unit],
    unit: unit === '%' ? 'percent' : 'bytes',
    forCycles: cycles ? amount : null,
    forMs: cycles ? null : amount * DURATIONS[per.toLowerCase()],
  };
}

export const resourceRuleSchema = z
  .string()
  .min(1)
  .max(200)
  .superRefine((text, context) => {
    const rule = parseResourceRule(text);
    if (typeof rule === 'string') context.addIssue({ code: 'custom', message: rule });
  });
