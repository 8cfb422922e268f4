import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SectionView } from '@/lib/settings/editable-sections';
import { internalToken } from '../auth/keys';
import { api, PROVIDERS, startTestWorker, TEST_SECRET, waitFor, type TestWorker } from '../test-support';

describe.each(PROVIDERS)('the drill schedule and the risk forecast set in the console on %s', (provider) => {
  let t: TestWorker;
  const call = <T>(path: string, json?: unknown) => api<T>(t.port, `/internal/v1${path}`, { token: internalToken(TEST_SECRET), json });
  const sectionOf = async (name: string) => (await call<{ sections: SectionView[] }>('/settings')).body.sections.find((s) => s.section === name)!;

  beforeAll(async () => {
    t = await startTestWorker({ provider });
  });

  afterAll(async () => {
    await t?.destroy();
  });

  it('puts a forecast pace and governor policy in force without a restart: the next cycles come at the new interval', { timeout: 60_000 }, async () => {
    expect((await sectionOf('forecast')).origin).toBe('file');
    expect(t.worker.forecaster.overview().cycleSeconds).toBe(30);
    const saved = await call<SectionView>('/settings/forecast', {
      actor: 'user:ada',
      value: { cycleSeconds: 5, historyHours: 2, autoApply: ['restart-budget'] },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.origin).toBe('console');
    expect(t.worker.forecaster.policy()).toEqual(['restart-budget']);
    // At the file's 30 s, two more cycles cannot come within 15 s; at 5 s they do.
    const first = t.worker.forecaster.overview().at;
    const second = await waitFor(() => (t.worker.forecaster.overview().at !== first ? t.worker.forecaster.overview().at : null), {
      timeoutMs: 15_000,
      what: 'a cycle at the new interval',
    });
    await waitFor(() => t.worker.forecaster.overview().at !== second, { timeoutMs: 15_000, what: 'another cycle at the new interval' });
    expect(t.worker.forecaster.overview().cycleSeconds).toBe(5);
  });

  it('refuses a drill schedule the file would refuse, naming the field, and keeps a good one', async () => {
    const bad = await call<{ error: { code: string; message: string } }>('/settings/drills', { actor: 'user:ada', value: { everyHours: 6, scenarios: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('drills.scenarios');
    expect((await sectionOf('drills')).origin).toBe('file');
    const saved = await call<SectionView>('/settings/drills', { actor: 'user:ada', value: { everyHours: 6, scenarios: ['kill', 'latency'], harder: true } });
    expect(saved.status).toBe(200);
    expect((await sectionOf('drills')).value).toEqual({ everyHours: 6, scenarios: ['kill', 'latency'], harder: true });
    const reverted = await call<SectionView>('/settings/drills/revert', { actor: 'user:ada' });
    expect(reverted.status).toBe(200);
    expect((await sectionOf('drills')).origin).toBe('file');
  });
});
