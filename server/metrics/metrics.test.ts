// The registry is built on first use; what was counted before a scrape is in the scrape.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createWorkerMetrics } from './index';

const promClientLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/prom-client/'));

describe('the worker metrics', () => {
  it('load prom-client on first use, not when created', async () => {
    const metrics = createWorkerMetrics();
    expect(promClientLoaded()).toBe(false);
    await metrics.render();
    expect(promClientLoaded()).toBe(true);
  });

  it('count threats and probe latencies from the first one, and read the sources at scrape time', async () => {
    const metrics = createWorkerMetrics();
    metrics.countThreat({ level: 'high', scenario: 'ssh-bf' });
    metrics.countThreat({ level: 'high', scenario: 'ssh-bf' });
    metrics.observeProbe('web', 12);
    metrics.observeProbe('web', Number.NaN);
    metrics.readFrom({
      healthScore: () => 87,
      degradation: () => 'LEVEL_2',
      modules: () => [],
      defenseMode: () => 'ELEVATED',
      isolations: () => 3,
      newestVerifiedGolden: async () => ({ name: 'golden-1', createdAt: new Date(Date.now() - 60_000) }),
      auditHeadSeq: () => 42,
    });
    const text = await metrics.render();
    expect(text).toMatch(/^vigil_threats_total\{level="high",scenario="ssh-bf"\} 2$/m);
    expect(text).toMatch(/^vigil_probe_latency_seconds_count\{module="web"\} 1$/m);
    expect(text).toMatch(/^vigil_probe_latency_seconds_bucket\{le="0.025",module="web"\} 1$/m);
    expect(text).toMatch(/^vigil_health_score 87$/m);
    expect(text).toMatch(/^vigil_degradation_level 2$/m);
    expect(text).toMatch(/^vigil_defense_mode 1$/m);
    expect(text).toMatch(/^vigil_isolations 3$/m);
    expect(text).toMatch(/^vigil_audit_chain_head 42$/m);
    expect(text).toMatch(/^vigil_snapshot_newest_verified_golden_age_seconds\{snapshot="golden-1"\} 6\d(\.\d+)?$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('a worker that was never scraped and saw nothing has an empty scrape of its own series', async () => {
    const metrics = createWorkerMetrics();
    const text = await metrics.render();
    expect(text).not.toMatch(/^vigil_threats_total\{/m);
    expect(text).toMatch(/^vigil_leader 1$/m);
  });
});
