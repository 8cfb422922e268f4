import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestWorker, type TestWorker } from '../test-support';
import { createEnrollment } from '../test-support/fleet';

const publicKey = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('enrollment attempts per source address', () => {
  let worker: TestWorker;
  // Behind the trusted loopback proxy, the address the proxy names is the source.
  const enrollFrom = (source: string, token: string) =>
    api<{ error?: { code: string; message: string } }>(worker.port, '/api/v1/fleet/agents', {
      json: { token, name: 'probe', publicKey: publicKey() },
      headers: { 'x-real-ip': source },
    });

  beforeAll(async () => {
    worker = await startTestWorker({ vars: { VIGIL_FLEET_ENROLLMENTS_PER_MINUTE: '3' } });
  }, 60_000);
  afterAll(async () => {
    await worker.destroy();
  });

  it('answers 429 with Retry-After once an address used up its minute, and leaves other addresses alone', { timeout: 60_000 }, async () => {
    const wrong = 'vfe_' + 'x'.repeat(43);
    for (let i = 0; i < 3; i++) expect((await enrollFrom('198.51.100.7', wrong)).status).toBe(401);
    const refusalsBefore = await refusalsInChain();
    const throttled = await enrollFrom('198.51.100.7', wrong);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error?.code).toBe('rate_limited');
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Even a good token waits: the limit is taken before the token is looked at.
    const token = await createEnrollment(worker.port, { labels: {}, uses: 2, expiresInMinutes: 10 });
    expect((await enrollFrom('198.51.100.7', token)).status).toBe(429);
    // Nothing was recorded for the throttled attempts.
    expect(await refusalsInChain()).toBe(refusalsBefore);
    // Another address has its own budget.
    expect((await enrollFrom('198.51.100.8', token)).status).toBe(201);
  });

  async function refusalsInChain(): Promise<number> {
    await worker.worker.audit.flush();
    return worker.worker.database.prisma.auditEvent.count({ where: { type: 'fleet.enrollment_refused' } });
  }
});
