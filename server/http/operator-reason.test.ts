import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalToken } from '../auth/keys';
import { verifyStoredChain } from '../audit';
import { api, startTestWorker, TEST_SECRET, type TestWorker } from '../test-support';

type ErrorBody = { error: { code: string; message: string } };

// An operator's reason goes into the audit chain as typed: what the chain cannot store verbatim
// is refused before anything is done, not acted on and then left out of (or altered in) the trail.
describe('reasons typed into operator forms', () => {
  let worker: TestWorker;
  const pin = (reason: string) =>
    api<ErrorBody>(worker.port, '/internal/v1/degradation/pin', { token: internalToken(TEST_SECRET), json: { level: 'LEVEL_2', actor: 'alice', reason } });

  beforeAll(async () => {
    worker = await startTestWorker();
  });

  afterAll(async () => {
    await worker?.destroy();
  });

  it.each([
    ['a lone surrogate', 'maintenance \ud800 window'],
    ['NUL', 'maintenance\u0000window'],
  ])('refuses %s with a 422 naming the reason, and pins nothing', async (_what, reason) => {
    const response = await pin(reason);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/^reason: /);
    expect((await api(worker.port, '/healthz')).body).toMatchObject({ degradation: 'NORMAL' });
  });

  it.each([
    ['a lone surrogate', 'trusted \udfff scanner'],
    ['NUL', 'trusted\u0000scanner'],
  ])('refuses %s in an allowlist reason before the allowlist changes', async (_what, reason) => {
    const response = await api<ErrorBody>(worker.port, '/internal/v1/defense/allowlist', {
      token: internalToken(TEST_SECRET),
      json: { source: '203.0.113.7', reason, actor: 'alice' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/^reason: /);
    expect(worker.worker.defense.allowlist.entries().map((e) => e.source)).not.toContain('203.0.113.7');
  });

  it('keeps any well-formed text as typed, and the chain verifies', async () => {
    const reason = 'über-load 😀 in 東京';
    expect((await pin(reason)).status).toBe(200);
    await worker.worker.audit.flush();
    const stored = await worker.worker.database.prisma.auditEvent.findFirst({ where: { reason }, select: { seq: true } });
    expect(stored).not.toBeNull();
    expect(await verifyStoredChain(worker.worker.database.prisma)).toMatchObject({ ok: true });
  });
});
