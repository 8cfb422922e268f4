import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { diagnose } from '@/lib/healing/diagnosis';
import { processModuleSchema } from '@/lib/healing/module-schema';
import { parseResourceRule } from '@/lib/healing/resource-rules';
import { waitFor } from '../test-support';
import { UsageTracker } from './process-usage';
import { ResourceRuleTracker } from './resource-rule-check';

const MB = 1024 * 1024;
const usage = (over: Partial<{ cpuPercent: number; memoryPercent: number; rssBytes: number }>) => ({
  cpuPercent: 5,
  memoryPercent: 1,
  rssBytes: 10 * MB,
  ...over,
});

describe('Monit-style resource rules', () => {
  it('parse the Monit phrasing and refuse anything else with the expected shape', () => {
    expect(parseResourceRule('restart if memory > 500 MB for 3 cycles')).toMatchObject({
      action: 'restart',
      metric: 'memory',
      threshold: 500 * MB,
      unit: 'bytes',
      forCycles: 3,
    });
    expect(parseResourceRule('alert if CPU > 90 % for 2 minutes')).toMatchObject({
      action: 'alert',
      metric: 'cpu',
      threshold: 90,
      forMs: 120_000,
      forCycles: null,
    });
    expect(parseResourceRule('alert if memory > 80%')).toMatchObject({ unit: 'percent', forCycles: 1 });
    expect(parseResourceRule('alert if cpu > 2 GB')).toBe('CPU is measured in % of one core');
    expect(parseResourceRule('restart when memory is high')).toMatch(/^expected "<restart\|alert> if/);
    expect(parseResourceRule('restart if memory > 1 GB for 0 cycles')).toBe('the duration must be at least 1');
    const schema = processModuleSchema.safeParse({ name: 'p', kind: 'process', command: ['sleep', '1'], resourceRules: ['kill if memory > 1 MB'] });
    expect(schema.error?.issues[0]).toMatchObject({ path: ['resourceRules', 0] });
  });

  it('count cycles and time over the threshold, and start again under it or for a new pid', () => {
    const tracker = new ResourceRuleTracker();
    const rules = ['restart if memory > 500 MB for 3 cycles', 'alert if cpu > 90 % for 2 minutes'];
    const big = usage({ rssBytes: 600 * MB });
    expect(tracker.check(rules, big, 10, 0)).toBeNull();
    expect(tracker.check(rules, big, 10, 30_000)).toBeNull();
    expect(tracker.check(rules, usage({}), 10, 60_000)).toBeNull();
    expect(tracker.check(rules, big, 10, 90_000)).toBeNull();
    expect(tracker.check(rules, big, 11, 120_000)).toBeNull();
    expect(tracker.check(rules, big, 11, 150_000)).toBeNull();
    expect(tracker.check(rules, big, 11, 180_000)).toMatchObject({
      ok: false,
      message: 'memory 600 MB over 500 MB for 3 cycles: restart',
      finding: { kind: 'resource_exhaustion', evidence: { action: 'restart', cycles: 3 } },
    });
    const hot = usage({ cpuPercent: 95 });
    expect(tracker.check(rules, hot, 11, 200_000)).toBeNull();
    expect(tracker.check(rules, hot, 11, 260_000)).toBeNull();
    expect(tracker.check(rules, hot, 11, 320_000)).toMatchObject({
      ok: true,
      message: 'cpu 95 % over 90 % for 120 s: alert',
      finding: { evidence: { action: 'alert' } },
    });
  });

  it('a restart rule is a service failure, so the supervisor restarts the process', () => {
    const finding = { kind: 'resource_exhaustion' as const, message: 'memory', evidence: { action: 'restart' } };
    const base = {
      critical: false,
      consecutiveFailures: 1,
      failureThreshold: 3,
      recentRestarts: 0,
      host: { cpuPercent: 10, memoryPercent: 20 },
      dependenciesDown: [],
      dependents: 0,
    };
    expect(diagnose({ ...base, findings: [finding] }).failureClass).toBe('service_failure');
    expect(diagnose({ ...base, findings: [{ ...finding, evidence: { action: 'alert' } }] }).failureClass).toBe('degradation');
  });

  it('fires on a real process that holds more memory than its rule allows', async () => {
    const child = spawn(process.execPath, ['-e', 'const keep = Buffer.alloc(80 * 1024 * 1024, 1); setInterval(() => keep[0]++, 100); console.log("ready")'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await new Promise((resolve) => child.stdout!.once('data', resolve));
      const sampler = new UsageTracker();
      const tracker = new ResourceRuleTracker();
      let cycle = 0;
      const result = await waitFor(
        async () => {
          const sample = await sampler.sample(child.pid!, Date.now());
          return sample && tracker.check(['restart if memory > 50 MB for 2 cycles'], sample, child.pid!, ++cycle);
        },
        { what: 'the rule to hold', intervalMs: 50 },
      );
      expect(result).toMatchObject({ ok: false, finding: { evidence: { action: 'restart', cycles: 2 } } });
      expect(result.message).toMatch(/^memory \d+ MB over 50 MB for 2 cycles: restart$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
