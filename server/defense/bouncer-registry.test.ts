import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BouncerView } from '@/lib/defense/bouncers';
import { revokeApiToken } from '../queries/api-tokens';
import {
  api,
  createAuditedDatabase,
  createScopedToken,
  readWholeChain,
  silentLogger,
  startTestWorker,
  waitFor,
  type AuditedDatabase,
  type TestWorker,
} from '../test-support';
import { addBouncer } from './bouncer-admin';
import { BouncerRegistry } from './bouncer-registry';

const UA = { 'user-agent': 'crowdsec-firewall-bouncer/v0.0.25-debian' };

describe('the worker sees the bouncers that pull its decision stream', () => {
  let t: TestWorker;
  beforeEach(async () => {
    t = await startTestWorker();
  });
  afterEach(() => t.destroy());

  const pull = (key: string, startup = false) =>
    api<{ new: unknown[]; deleted: unknown[] }>(t.port, `/api/v1/decisions/stream?startup=${startup}`, { headers: { 'x-api-key': key, ...UA } });

  it('lists address, version, last pull, decisions delivered and status, persists them in batches, and shows a revoked key as failing', async () => {
    const prisma = t.worker.database.prisma;
    const { secret } = await addBouncer({ db: prisma, audit: t.worker.audit, name: 'edge', actor: 'test' });
    await t.worker.defense.isolations.isolate({ source: '203.0.113.7', reason: 'test', actor: 'test', origin: 'manual', durationMs: 60_000 });
    await t.worker.defense.isolations.isolate({ source: '203.0.113.8', reason: 'test', actor: 'test', origin: 'manual', durationMs: 60_000 });
    const reader = await createScopedToken(t, { role: 'viewer', scopes: ['threats:read'] });
    const listed = async () => (await api<{ bouncers: BouncerView[] }>(t.port, '/api/v1/bouncers', { token: reader.token })).body.bouncers;

    // The first pull of a key added while the worker runs makes it read the bouncers again.
    const seen = await waitFor(async () => {
      expect((await pull(secret, true)).status).toBe(200);
      return (await listed()).find((b) => b.lastPullAt !== null);
    });
    expect(seen).toMatchObject({
      name: 'edge',
      address: '127.0.0.1',
      version: 'v0.0.25-debian (crowdsec-firewall-bouncer)',
      lastStatus: 200,
      status: 'ok',
      revoked: false,
    });
    expect(seen.delivered).toBeGreaterThanOrEqual(2);
    const before = seen.delivered;
    await t.worker.defense.isolations.restore({ source: '203.0.113.7', actor: 'test', reason: 'test' });
    expect((await pull(secret)).body.deleted).toHaveLength(1);
    expect((await listed())[0].delivered).toBe(before + 1);

    // Written off the request path: the row catches up at the next flush, not at the pull.
    await waitFor(async () => (await prisma.bouncer.findUnique({ where: { name: 'edge' } }))?.delivered === before + 1, { what: 'the batched write' });

    // A bouncer's key reads the stream, not where the other bouncers run.
    expect((await api(t.port, '/api/v1/bouncers', { headers: { 'x-api-key': secret } })).status).toBe(403);

    const token = await prisma.bouncer.findUniqueOrThrow({ where: { name: 'edge' } });
    await revokeApiToken(prisma, token.tokenId);
    await waitFor(async () => (await pull(secret)).status === 401, { what: 'the revoked key refused' });
    await waitFor(
      async () => {
        const [edge] = await listed();
        return edge.status === 'failing' && edge.revoked && edge.lastStatus === 401;
      },
      { what: 'the bouncer shown failing' },
    );
  });
});

describe('BouncerRegistry', () => {
  let store: AuditedDatabase;
  let server: Server;
  let registry: BouncerRegistry;
  let clock: number;
  let port: number;

  beforeEach(async () => {
    store = await createAuditedDatabase('sqlite');
    clock = Date.parse('2026-01-01T00:00:00Z');
    registry = new BouncerRegistry({
      database: store.db.database,
      audit: store.audit,
      log: silentLogger(),
      deliveredTo: () => 3,
      now: () => clock,
      flushMs: 60_000,
      reloadMs: 60_000,
      checkMs: 60_000,
    });
    // A stand-in for the router: the registry only watches requests and their answers.
    server = createServer((req, res) => res.writeHead(req.headers['x-status'] ? Number(req.headers['x-status']) : 200).end('{}'));
    server.on('request', registry.observe);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await registry.close();
    await new Promise((resolve) => server.close(resolve));
    await store.destroy();
  });

  const pull = async (key: string, path = '/api/v1/decisions/stream?startup=false', status = 200) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-api-key': key, 'x-status': String(status), ...UA } });
    await response.text();
  };
  const events = async () =>
    (await readWholeChain(store.db.database)).filter((e) => e.type.startsWith('defense.bouncer_') && e.type !== 'defense.bouncer_added').map((e) => e.type);

  it('does not take the gap after a start-up pull, nor a burst, for the interval: the bouncer stays ok at its own pace', async () => {
    const { secret } = await addBouncer({ db: store.db.database.prisma, audit: null, name: 'fresh', actor: 'test' });
    await registry.start();
    // A bouncer starting: its start-up pull, then its first delta pull at once (what e2e/15 does).
    await pull(secret, '/api/v1/decisions/stream?startup=true');
    await waitFor(() => registry.list()[0]?.lastPullAt === new Date(clock).toISOString());
    clock += 15;
    await pull(secret);
    await waitFor(() => registry.list()[0].lastPullAt === new Date(clock).toISOString());
    expect(registry.list()[0]).toMatchObject({ intervalMs: null, status: 'ok' });
    // Until it is known, three of CrowdSec's default 10 s intervals.
    clock += 25_000;
    registry.checkStale();
    expect(registry.list()[0].status).toBe('ok');
    // Two delta pulls a few milliseconds apart: taken as a second at most.
    await pull(secret);
    await waitFor(() => registry.list()[0].lastPullAt === new Date(clock).toISOString());
    clock += 5;
    await pull(secret);
    await waitFor(() => registry.list()[0].lastPullAt === new Date(clock).toISOString());
    expect(registry.list()[0].intervalMs).toBeGreaterThanOrEqual(1000);
    clock += 2500;
    registry.checkStale();
    expect(registry.list()[0].status).toBe('ok');
  });

  it('infers the interval from the pulls, flags a bouncer stale after three missed intervals once, and audits its recovery', async () => {
    const { secret } = await addBouncer({ db: store.db.database.prisma, audit: null, name: 'fw', actor: 'test' });
    await registry.start();
    for (let i = 0; i < 4; i++) {
      await pull(secret);
      await waitFor(() => registry.list()[0].lastPullAt === new Date(clock).toISOString());
      clock += 2000;
    }
    expect(registry.list()[0]).toMatchObject({ intervalMs: 2000, delivered: 12, status: 'ok' });

    clock += 5000; // 7 s after the last pull: beyond 3 × 2 s
    registry.checkStale();
    registry.checkStale();
    expect(registry.list()[0].status).toBe('stale');
    // One outage does not redefine the interval.
    await pull(secret);
    await waitFor(() => registry.list()[0].status === 'ok');
    expect(registry.list()[0].intervalMs).toBe(2000);
    await store.audit.flush();
    expect(await events()).toEqual(['defense.bouncer_stale', 'defense.bouncer_recovered']);

    await registry.flush();
    expect(await store.db.database.prisma.bouncer.findUniqueOrThrow({ where: { name: 'fw' } })).toMatchObject({
      intervalMs: 2000,
      delivered: 15,
      stale: false,
      lastStatus: 200,
      version: 'v0.0.25-debian (crowdsec-firewall-bouncer)',
    });
  });

  it('ignores other paths, unknown keys and keyless requests, and keeps pulls whose write failed for the next batch', async () => {
    const { secret } = await addBouncer({ db: store.db.database.prisma, audit: null, name: 'fw', actor: 'test' });
    await registry.start();
    await pull(secret, '/api/v1/isolations');
    await pull('vgl_unknown');
    await fetch(`http://127.0.0.1:${port}/api/v1/decisions/stream`).then((r) => r.text());
    expect(registry.list()[0].lastPullAt).toBeNull();

    // Bearer works as well as X-Api-Key.
    await fetch(`http://127.0.0.1:${port}/api/v1/decisions/stream`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.text());
    await waitFor(() => registry.list()[0].lastPullAt !== null);
    await store.db.database.prisma.$executeRawUnsafe('DROP TABLE "Bouncer"');
    await registry.flush();
    await registry.reload(); // unreadable: the bouncers known are kept
    expect(registry.list()).toHaveLength(1);
  });

  it('picks up bouncers deleted elsewhere', async () => {
    await addBouncer({ db: store.db.database.prisma, audit: null, name: 'gone', actor: 'test' });
    await registry.start();
    expect(registry.list().map((b) => b.name)).toEqual(['gone']);
    await store.db.database.prisma.bouncer.delete({ where: { name: 'gone' } });
    await registry.reload();
    expect(registry.list()).toEqual([]);
  });

  it('gives a pull it only read from the database (another replica, an earlier run) two flushes more before calling it stale', async () => {
    await addBouncer({ db: store.db.database.prisma, audit: null, name: 'elsewhere', actor: 'test' });
    await store.db.database.prisma.bouncer.update({ where: { name: 'elsewhere' }, data: { lastPullAt: new Date(clock), lastStatus: 200, intervalMs: 1000 } });
    await registry.start();
    clock += 10_000; // stale by its interval, but within two flushes (2 × 60 s here)
    registry.checkStale();
    clock += 120_000;
    registry.checkStale();
    await store.audit.flush();
    expect(await events()).toEqual(['defense.bouncer_stale']);
  });
});
