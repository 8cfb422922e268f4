import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForecastOverview, RiskResponse } from '@/lib/forecast/forecast-views';
import { internalToken } from '../auth/keys';
import { api, startTestWorker, TEST_API_TOKEN, TEST_SECRET, waitFor, type TestWorker } from '../test-support';

let t: TestWorker;
const internal = () => internalToken(TEST_SECRET);

beforeAll(async () => {
  t = await startTestWorker();
  await waitFor(() => t.worker.forecaster.risk().at !== null);
});
afterAll(() => t.destroy());

describe('forecast over the worker API', () => {
  it('answers risk per subsystem in the documented shape, with bands matching the score', async () => {
    expect((await api(t.port, '/api/v1/risk')).status).toBe(401);
    const res = await api<RiskResponse>(t.port, '/api/v1/risk', { token: TEST_API_TOKEN });
    expect(res.status).toBe(200);
    const ids = res.body.subsystems.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['host', 'defense', 'data', 'backups']));
    for (const s of res.body.subsystems) {
      expect(s.risk).toBeGreaterThanOrEqual(0);
      expect(s.risk).toBeLessThanOrEqual(100);
      expect(s.band).toBe(s.risk <= 25 ? 'green' : s.risk <= 50 ? 'yellow' : s.risk <= 75 ? 'orange' : 'red');
    }
    // No verified golden snapshot in a fresh data directory: the backups subsystem says so.
    expect(res.body.subsystems.find((s) => s.id === 'backups')!.contributions[0].detail).toBe('none verified');
  });

  it('answers predictions and the heatmap overview', async () => {
    const predictions = await api<{ predictions: unknown[] }>(t.port, '/api/v1/predictions', { token: TEST_API_TOKEN });
    expect(predictions.status).toBe(200);
    expect(Array.isArray(predictions.body.predictions)).toBe(true);
    const overview = await api<ForecastOverview>(t.port, '/internal/v1/forecast', { token: internal() });
    expect(overview.body.history.columns.length).toBeGreaterThan(0);
    expect(overview.body.history.rows.host.length).toBe(overview.body.history.columns.length);
  });

  it('rejects bad mitigation requests and actions that are not in the plan', async () => {
    const bad = await api(t.port, '/internal/v1/forecast/mitigations', {
      token: internal(),
      json: { subsystem: 'host', action: 'format-disk', reason: 'because', actor: 'user:ops' },
    });
    expect(bad.status).toBe(422);
    const notInPlan = await api(t.port, '/internal/v1/forecast/mitigations', {
      token: internal(),
      json: { subsystem: 'host', action: 'prune-snapshots', reason: 'because', actor: 'user:ops' },
    });
    expect(notInPlan.status).toBe(409);
    const unknown = await api(t.port, '/internal/v1/forecast/governor/nope', { token: internal(), json: { decision: 'applied', actor: 'user:ops' } });
    expect(unknown.status).toBe(404);
  });

  it('applies the golden-snapshot mitigation, audited, and the backups risk falls', async () => {
    const before = t.worker.forecaster.risk().subsystems.find((s) => s.id === 'backups')!.risk;
    const res = await api(t.port, '/internal/v1/forecast/mitigations', {
      token: internal(),
      json: { subsystem: 'backups', action: 'create-golden-snapshot', reason: 'no golden snapshot', actor: 'user:ops' },
    });
    expect(res.status).toBe(200);
    const audited = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'forecast.mitigation_applied' } });
    expect(audited?.actor).toBe('user:ops');
    await t.worker.forecaster.cycle();
    expect(t.worker.forecaster.risk().subsystems.find((s) => s.id === 'backups')!.risk).toBeLessThan(before);
  });
});
