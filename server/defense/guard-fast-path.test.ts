import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_API_TOKEN, waitFor, type TestWorker } from '../test-support';
import { GUARD_TEST_CONFIG, internalCall, startDefenseWorker } from '../test-support/defense-worker';
import { guardCheck } from '../test-support/guard';

/**
 * The guard's fast path (numeric trusted-proxy check, one parse per source, numeric detector
 * buckets, one writeHead) decides exactly what the slow path did. Only 127.0.0.1 is a proxy;
 * a flood scenario small enough to trip in a test counts every check (GUARD_TEST_CONFIG).
 */
const forwarded = (port: number, xff: string) => guardCheck(port, { headers: { 'x-forwarded-for': xff } });

describe('the guard fast path (real worker, SQLite)', () => {
  let t: TestWorker;
  beforeAll(async () => {
    t = await startDefenseWorker({ yaml: GUARD_TEST_CONFIG });
    const isolations = ['203.0.113.50', '2001:db8::/48', '198.51.100.128/25'].map((source) =>
      api(t.port, '/api/v1/isolations', { json: { source, duration: '1h', reason: 'fast path test' }, token: TEST_API_TOKEN }),
    );
    expect((await Promise.all(isolations)).map((res) => res.status)).toEqual([201, 201, 201]);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('answers with the base headers, and names the decision only on a refusal', async () => {
    const pass = await api(t.port, '/guard/check', { headers: { 'x-forwarded-for': '203.0.113.51' } });
    expect(pass.status).toBe(204);
    expect([pass.headers.get('x-content-type-options'), pass.headers.get('cache-control'), pass.headers.get('x-vigil-decision')]).toEqual([
      'nosniff',
      'no-store',
      null,
    ]);
    const refused = await api(t.port, '/guard/check', { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(refused.status).toBe(403);
    expect([refused.headers.get('x-content-type-options'), refused.headers.get('cache-control'), refused.headers.get('x-vigil-decision')]).toEqual([
      'nosniff',
      'no-store',
      'isolated',
    ]);
  });

  it('believes forwarded headers only from the trusted proxy, and takes the rightmost hop that is not one', async () => {
    expect(await forwarded(t.port, '203.0.113.50')).toEqual({ status: 403, decision: 'isolated' });
    expect((await forwarded(t.port, '::ffff:203.0.113.50')).status).toBe(403);
    expect((await forwarded(t.port, '203.0.113.50, 127.0.0.1')).status).toBe(403);
    expect((await forwarded(t.port, '198.51.100.1, 203.0.113.50')).status).toBe(403);
    // A hop the client wrote itself, left of the one the proxy appended, decides nothing.
    expect((await forwarded(t.port, '203.0.113.50, 198.51.100.1')).status).toBe(204);
    expect((await guardCheck(t.port, { headers: { 'x-real-ip': '203.0.113.50' } })).status).toBe(403);
    // Any other peer is the client itself, whatever it claims.
    const spoofer = await guardCheck(t.port, { from: '127.0.0.3', headers: { 'x-forwarded-for': '203.0.113.50', 'x-real-ip': '203.0.113.50' } });
    expect(spoofer).toEqual({ status: 204, decision: null });
  });

  it('matches ranges and IPv6 sources', async () => {
    expect((await forwarded(t.port, '198.51.100.200')).status).toBe(403);
    expect((await forwarded(t.port, '198.51.100.127')).status).toBe(204);
    expect((await forwarded(t.port, '2001:db8:0:7::1')).status).toBe(403);
    expect((await forwarded(t.port, '2001:db9::1')).status).toBe(204);
  });

  it('refuses everyone but the allowlist in LOCKDOWN', async () => {
    expect((await internalCall(t.port, '/internal/v1/defense/lockdown', { actor: 'user:admin', reason: 'fast path lockdown' })).status).toBe(200);
    try {
      expect(await forwarded(t.port, '198.51.100.2')).toEqual({ status: 403, decision: 'lockdown' });
      expect(await forwarded(t.port, '192.0.2.77')).toEqual({ status: 204, decision: null });
      expect(await guardCheck(t.port, { from: '127.0.0.9' })).toEqual({ status: 204, decision: null });
      expect((await guardCheck(t.port, { from: '127.0.0.3' })).status).toBe(403);
    } finally {
      expect((await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin', reason: 'done' })).status).toBe(200);
    }
    expect((await forwarded(t.port, '198.51.100.2')).status).toBe(204);
  });

  it('counts every check for the detectors: a flood is isolated and refused from then on, its neighbour is not', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await forwarded(t.port, '198.51.100.99')).status);
    // The 20th check is answered before it is counted, and overflows the bucket.
    expect(statuses).toEqual(Array(20).fill(204));
    expect(await waitFor(() => t.worker.defense.blocklist.get('198.51.100.99'), { what: 'the automatic isolation' })).toMatchObject({
      origin: 'auto',
      scenario: 'flood',
    });
    expect(await forwarded(t.port, '198.51.100.99')).toEqual({ status: 403, decision: 'isolated' });
    expect((await forwarded(t.port, '198.51.100.98')).status).toBe(204);
  });

  it('never counts the allowlist: a flood from it is not isolated', async () => {
    for (let i = 0; i < 30; i++) expect((await forwarded(t.port, '192.0.2.5')).status).toBe(204);
    expect(t.worker.defense.blocklist.get('192.0.2.5')).toBeUndefined();
  });

  it('refuses a brute force reported through ingest at the guard', async () => {
    const events = Array.from({ length: 10 }, () => ({ type: 'auth_failure', source: '203.0.113.77' }));
    expect((await api(t.port, '/api/v1/events', { json: { events }, token: TEST_API_TOKEN })).status).toBe(202);
    expect(
      await waitFor(async () => ((await forwarded(t.port, '203.0.113.77')).status === 403 ? true : null), { what: 'the guard refusing the brute force' }),
    ).toBe(true);
    expect(t.worker.defense.blocklist.get('203.0.113.77')).toMatchObject({ origin: 'auto', scenario: 'brute-force-critical' });
  });
});
