import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BouncerView } from '@/lib/defense/bouncers';
import { addBouncer } from '../../defense';
import { revokeApiToken } from '../../queries/api-tokens';
import { api, createScopedToken, startTestWorker, waitFor, type TestWorker } from '../../test-support';
import { pullHeadersOf, startupOf } from './decision-stream-lane';

describe('startupOf reads the query as the stream route does, or leaves it to the route', () => {
  it.each([
    ['/api/v1/decisions/stream', false],
    ['/api/v1/decisions/stream?', false],
    ['/api/v1/decisions/stream?startup=true', true],
    ['/api/v1/decisions/stream?startup=false', false],
    ['/api/v1/decisions/stream?startup=true&scopes=ip,range&origins=crowdsec', true],
    ['/api/v1/decisions/stream?scopes=ip&startup=false', false],
    ['/api/v1/decisions/stream?startup=true&startup=false', false],
    ['/api/v1/decisions/stream?startupx=1', false],
  ] as const)('%s → %s', (url, startup) => expect(startupOf(url)).toBe(startup));

  it.each(['?startup=maybe', '?startup=', '?startup', '?startup=%74rue', '?scopes=ip+range', '?a=%00'])('leaves %s to the route', (query) =>
    expect(startupOf(`/api/v1/decisions/stream${query}`)).toBeNull(),
  );
});

describe('pullHeadersOf reads the token as the route does, from the raw headers', () => {
  it.each([
    [['X-Api-Key', 'k1', 'User-Agent', 'cs-bouncer/v1'], { token: 'k1', userAgent: 'cs-bouncer/v1' }],
    [['authorization', 'Bearer t1', 'x-api-key', 'k1'], { token: 't1', userAgent: undefined }],
    [['Authorization', '', 'X-API-KEY', 'k1'], { token: 'k1', userAgent: undefined }],
    [['x-api-key', 'k1', 'user-agent', 'first/1', 'user-agent', 'second/2'], { token: 'k1', userAgent: 'first/1' }],
  ])('%j → %j', (raw, expected) => expect(pullHeadersOf(raw)).toEqual(expected));

  it.each([
    [[]],
    [['authorization', 'Basic dTpw']],
    [['x-api-key', 'two words']],
    [['x-api-key', 'k1', 'x-api-key', 'k2']],
    [['authorization', 'Bearer a', 'Authorization', 'Bearer b']],
  ])('leaves %j to the route', (raw) => expect(pullHeadersOf(raw)).toBeNull());
});

describe('the decision stream answered before the router', () => {
  let t: TestWorker;
  beforeEach(async () => {
    t = await startTestWorker();
  });
  afterEach(() => t.destroy());

  const pull = (key: string, query = '?startup=false') =>
    api<{ new: Array<{ value: string }>; deleted: Array<{ value: string }> }>(t.port, `/api/v1/decisions/stream${query}`, {
      headers: { 'x-api-key': key, 'user-agent': 'crowdsec-firewall-bouncer/v0.0.25-debian' },
    });
  const answerHeaders = (headers: Headers) => ({
    type: headers.get('content-type'),
    cache: headers.get('cache-control'),
    nosniff: headers.get('x-content-type-options'),
  });

  it('answers a known key with the route’s bytes and headers, counts each pull once, and refuses a revoked key within a second or so', async () => {
    const prisma = t.worker.database.prisma;
    const { secret } = await addBouncer({ db: prisma, audit: t.worker.audit, name: 'edge', actor: 'test' });
    await t.worker.defense.isolations.isolate({ source: '203.0.113.7', reason: 'test', actor: 'test', origin: 'manual', durationMs: 60_000 });
    const reader = await createScopedToken(t, { role: 'viewer', scopes: ['threats:read'] });
    const edge = async () => (await api<{ bouncers: BouncerView[] }>(t.port, '/api/v1/bouncers', { token: reader.token })).body.bouncers[0];

    // The first pull reads the key from the database: the route answers, with a request id.
    const routed = await pull(secret, '?startup=true');
    expect(routed.status).toBe(200);
    expect(routed.headers.get('x-request-id')).not.toBeNull();
    // Once the key is cached, the lane answers: no request id was sent, none is made.
    const fast = await pull(secret, '?startup=true');
    expect(fast.status).toBe(200);
    expect(fast.headers.get('x-request-id')).toBeNull();
    expect(fast.text).toBe(routed.text);
    expect(answerHeaders(fast.headers)).toEqual(answerHeaders(routed.headers));

    await waitFor(async () => (await edge())?.lastPullAt !== null, { what: 'the registry to know the bouncer' });
    const before = (await edge()).delivered;
    await t.worker.defense.isolations.isolate({ source: '203.0.113.9', reason: 'test', actor: 'test', origin: 'manual', durationMs: 60_000 });
    const delta = await pull(secret, '?startup=false&scopes=ip,range');
    expect(delta.headers.get('x-request-id')).toBeNull();
    expect(delta.body).toEqual({ new: [expect.objectContaining({ value: '203.0.113.9', type: 'ban', scope: 'Ip' })], deleted: [] });
    // Recorded by the lane, and not a second time by the registry's own listener.
    expect(await edge()).toMatchObject({ delivered: before + 1, lastStatus: 200, version: 'v0.0.25-debian (crowdsec-firewall-bouncer)' });
    expect((await pull(secret)).text).toBe('{"new":[],"deleted":[]}');

    // What the lane leaves to the route is answered in the route's words.
    const bad = await pull(secret, '?startup=maybe');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('x-request-id')).not.toBeNull();

    const { tokenId } = await prisma.bouncer.findUniqueOrThrow({ where: { name: 'edge' } });
    await revokeApiToken(prisma, tokenId);
    const revokedAt = performance.now();
    await waitFor(async () => (await pull(secret)).status === 401, { what: 'the revoked key refused' });
    // The tokens in use are read again every second.
    expect(performance.now() - revokedAt).toBeLessThan(2500);
    await waitFor(async () => (await edge()).lastStatus === 401, { what: 'the refusal recorded' });
  });

  it('serves a key sent as a bearer token too, and the bouncers list follows a new User-Agent', async () => {
    const { secret } = await addBouncer({ db: t.worker.database.prisma, audit: t.worker.audit, name: 'edge', actor: 'test' });
    const reader = await createScopedToken(t, { role: 'viewer', scopes: ['threats:read'] });
    const edge = async () => (await api<{ bouncers: BouncerView[] }>(t.port, '/api/v1/bouncers', { token: reader.token })).body.bouncers[0];
    const bearerPull = (userAgent: string) => api(t.port, '/api/v1/decisions/stream?startup=false', { token: secret, headers: { 'user-agent': userAgent } });
    expect((await bearerPull('cs-firewall-bouncer/v0.0.28')).status).toBe(200);
    const laned = await bearerPull('cs-firewall-bouncer/v0.0.28');
    expect(laned.headers.get('x-request-id')).toBeNull();
    await waitFor(async () => (await edge())?.version === 'v0.0.28 (cs-firewall-bouncer)', { what: 'the first version listed' });
    // Upgraded in place: the next pull says so, and the list shows it.
    expect((await bearerPull('cs-firewall-bouncer/v0.0.29')).status).toBe(200);
    expect((await edge()).version).toBe('v0.0.29 (cs-firewall-bouncer)');
  });

  it('leaves a token without the stream’s scope to the route, which refuses it every time', async () => {
    const other = await createScopedToken(t, { role: 'admin', scopes: ['threats:read'] });
    for (let i = 0; i < 3; i++) {
      const refused = await pull(other.token);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('isolations:read');
    }
  });
});
