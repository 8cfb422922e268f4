// The queries an idle worker runs take the open database: on SQLite they go through the driver's
// own connection, on PostgreSQL through Prisma. Each is checked here against the same function
// given the Prisma client, on the same rows, in both directions (what one writes the other reads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { createAuditedDatabase, makeSample, PROVIDERS, type AuditedDatabase } from '../test-support';
import { storedTokenHash } from './api-tokens';
import { auditEventsAfter, hasAlertWork, listStoredAlertRules, newestAuditSeq, readAlertCursor, writeAlertCursor } from './alerts';
import { readAuditHead } from './audit';
import { insertCheckpoint, latestCheckpoint } from './audit-checkpoints';
import { readRecentAuditEvents } from './audit-recent';
import { createBouncerWithToken, listBouncers, saveBouncerPulls } from './bouncers';
import { listAllowEntries, upsertAllowEntry } from './defense';
import { listConsoleModules, saveConsoleModule } from './healing-modules';
import { insertHealthSamples, pruneHealthHistory, readHealthHistory, upsertRollup, type MinuteRollup } from './health';
import { insertIncident, listIncidents, updateIncident } from './incidents';
import { deleteExpiredSessions, insertSession } from './sessions';
import { readSetting, writeSetting } from './settings';
import { listStoredStatusPages, saveStatusPage } from './status-pages';
import { createUser } from './users';

const MINUTE = 60_000;
const rollup = (minute: Date, scoreAvg: number): MinuteRollup => ({
  minute,
  samples: 12,
  cpuAvg: 20.5,
  cpuMax: 40,
  memoryAvg: 30,
  memoryMax: 35,
  diskMax: 55,
  load1Avg: 0.5,
  scoreAvg,
  scoreMin: 70,
  degradation: 'LEVEL_1',
});

describe.each(PROVIDERS)('idle queries given the database (%s)', (provider) => {
  let store: AuditedDatabase;
  let database: Database;
  beforeAll(async () => {
    store = await createAuditedDatabase(provider);
    database = store.db.database;
  });
  afterAll(async () => {
    await store?.destroy();
  });

  it('settings: each path reads what the other wrote, and an overwrite replaces the value', async () => {
    await writeSetting(database, 'a', { level: 'LEVEL_2', list: [1, 2] });
    expect(await readSetting(database.prisma, 'a')).toEqual({ level: 'LEVEL_2', list: [1, 2] });
    await writeSetting(database.prisma, 'b', 'from prisma');
    expect(await readSetting(database, 'b')).toBe('from prisma');
    await writeSetting(database, 'b', 'overwritten');
    expect(await readSetting(database.prisma, 'b')).toBe('overwritten');
    expect(await readSetting(database, 'missing')).toBeNull();
    const row = await database.prisma.setting.findUniqueOrThrow({ where: { key: 'b' } });
    expect(Math.abs(row.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('health samples and roll-ups: stored by the driver, read back by Prisma as written, pruned by date', async () => {
    const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MINUTE);
    await insertHealthSamples(database, []);
    await insertHealthSamples(database, [
      { sample: makeSample({ cpuPercent: 12.5, diskPercent: 40 }, at(90)), score: 100, degradation: 'NORMAL' },
      { sample: makeSample({ cpuPercent: 95, memoryPercent: 60, load1: 1.5 }, at(10)), score: 74, degradation: 'LEVEL_1' },
    ]);
    const raw = await readHealthHistory(database.prisma, at(120), now);
    expect(raw.points).toEqual([
      { at: at(90).toISOString(), cpu: 12.5, memory: 20, disk: 40, load1: 0, score: 100, degradation: 'NORMAL' },
      { at: at(10).toISOString(), cpu: 95, memory: 60, disk: 30, load1: 1.5, score: 74, degradation: 'LEVEL_1' },
    ]);
    await upsertRollup(database, rollup(at(60 * 30), 90));
    await upsertRollup(database, rollup(at(60 * 5), 80));
    await upsertRollup(database, rollup(at(60 * 5), 84.4));
    const minutes = await readHealthHistory(database.prisma, at(60 * 24), now);
    expect(minutes.points).toEqual([{ at: at(60 * 5).toISOString(), cpu: 20.5, memory: 30, disk: 55, load1: 0.5, score: 84, degradation: 'LEVEL_1' }]);
    expect(await pruneHealthHistory(database, at(30), at(60 * 24))).toEqual({ samples: 1, rollups: 1 });
    expect((await readHealthHistory(database.prisma, at(120), now)).points.map((p) => p.score)).toEqual([74]);
    expect(await database.prisma.healthRollup.count()).toBe(1);
  });

  it('the audit head, the latest checkpoint and a time window of recent events read alike through both', async () => {
    const empty = await latestCheckpoint(database);
    expect(empty).toBeNull();
    for (const [type, minutesAgo] of [
      ['probe.failed', 30],
      ['probe.failed', 5],
      ['probe.recovered', 1],
    ] as const)
      await store.audit.append({ type, severity: 'info', actor: 'system', action: type, module: 'web', at: new Date(Date.now() - minutesAgo * MINUTE) });
    const head = await readAuditHead(database);
    expect(head).toEqual(await readAuditHead(database.prisma));
    expect(head.seq).toBeGreaterThanOrEqual(3);
    const checkpoint = { seq: head.seq, hash: head.hash, at: new Date(Date.now() - 1234).toISOString(), keyId: 'k1', signature: 'sig' };
    await insertCheckpoint(database.prisma, checkpoint);
    expect(await latestCheckpoint(database)).toEqual(checkpoint);
    expect(await latestCheckpoint(database.prisma)).toEqual(checkpoint);
    const recent = await readRecentAuditEvents(database, { types: ['probe.failed'], since: new Date(Date.now() - 10 * MINUTE), take: 10 });
    expect(recent.map((e) => [e.type, e.action])).toEqual([['probe.failed', 'probe.failed']]);
    expect(Date.parse(recent[0].at)).toBeGreaterThan(Date.now() - 10 * MINUTE);
  });

  it('allowlist entries, console modules and bouncers list alike through both', async () => {
    await upsertAllowEntry(database.prisma, { source: '10.0.0.0/8', reason: 'office', createdBy: 'admin' });
    await upsertAllowEntry(database.prisma, { source: '192.0.2.1', reason: 'monitor', createdBy: 'ops' });
    expect(await listAllowEntries(database)).toEqual(await listAllowEntries(database.prisma));
    expect((await listAllowEntries(database)).map((e) => e.source)).toEqual(['10.0.0.0/8', '192.0.2.1']);
    await saveConsoleModule(database.prisma, { name: 'web', definition: '{"name":"web"}', actor: 'admin' });
    await saveConsoleModule(database.prisma, { name: 'api', definition: '{"name":"api"}', actor: 'admin' });
    expect(await listConsoleModules(database)).toEqual([
      { name: 'api', definition: '{"name":"api"}' },
      { name: 'web', definition: '{"name":"web"}' },
    ]);
    const token = (id: string) => ({ id, name: id, prefix: id, tokenHash: `hash-${id}`, role: 'viewer' as const, scopes: [] });
    await createBouncerWithToken(database.prisma, { name: 'fw', token: token('t1') });
    await createBouncerWithToken(database.prisma, { name: 'edge', token: token('t2') });
    const pull = { address: '192.0.2.7', version: 'cs-firewall/1.0', lastPullAt: new Date(), lastStatus: 200, delivered: 42, intervalMs: 10_000, stale: true };
    await saveBouncerPulls(database, new Map([['fw', pull]]));
    await database.prisma.apiToken.update({ where: { id: 't2' }, data: { revokedAt: new Date() } });
    const bouncers = await listBouncers(database);
    expect(bouncers).toEqual(await listBouncers(database.prisma));
    expect(bouncers.map((b) => [b.name, b.stale, b.token.revokedAt === null])).toEqual([
      ['edge', false, false],
      ['fw', true, true],
    ]);
  });

  it('incidents list alike through both, newest first, by state and module', async () => {
    const base = {
      severity: 'high' as const,
      failureClass: 'service_failure' as const,
      rootCause: null,
      confidence: 0.5,
      escalationLevel: 1 as const,
      affectedDependents: ['api'],
    };
    for (const [id, module, minutesAgo] of [
      ['i1', 'web', 30],
      ['i2', 'db', 20],
      ['i3', 'web', 10],
    ] as const) {
      const detectedAt = new Date(Date.now() - minutesAgo * MINUTE);
      await insertIncident(database.prisma, {
        ...base,
        id,
        module,
        title: `${module} down`,
        state: 'open',
        openedAt: detectedAt.toISOString(),
        resolvedAt: null,
        firstFailureAt: new Date(detectedAt.getTime() - 2000),
        detectedAt,
      });
    }
    await updateIncident(database.prisma, 'i1', { resolvedAt: new Date() });
    for (const filter of [{}, { state: 'open' as const }, { module: 'web' }, { state: 'resolved' as const, module: 'web' }, { limit: 1 }])
      expect(await listIncidents(database, filter)).toEqual(await listIncidents(database.prisma, filter));
    expect((await listIncidents(database, {})).map((i) => i.id)).toEqual(['i3', 'i2', 'i1']);
    expect((await listIncidents(database, { state: 'resolved' }))[0]).toMatchObject({ id: 'i1', mttdMs: 2000 });
  });

  it("alerting's cursor, the events after it and its stored rules read alike through both", async () => {
    expect(await readAlertCursor(database)).toBeNull();
    await writeAlertCursor(database, 0);
    expect(await readAlertCursor(database.prisma)).toBe(0);
    for (const type of ['config.reloaded', 'defense.threat', 'probe.failed'])
      await store.audit.append({ type, severity: 'warning', actor: 'system', action: type, module: 'web', details: { n: type.length } });
    const newest = await newestAuditSeq(database);
    expect(newest).toBe(await newestAuditSeq(database.prisma));
    expect(newest).toBe((await readAuditHead(database)).seq);
    await writeAlertCursor(database.prisma, newest - 2);
    expect(await readAlertCursor(database)).toBe(newest - 2);
    const after = await auditEventsAfter(database, newest - 3, 2);
    expect(after).toEqual(await auditEventsAfter(database.prisma, newest - 3, 2));
    expect(after.map((e) => e.seq)).toEqual([newest - 2, newest - 1]);
    expect(after[1]).toMatchObject({ type: 'defense.threat', details: { n: 14 } });
    expect(await auditEventsAfter(database, newest, 10)).toEqual([]);

    expect(await listStoredAlertRules(database)).toEqual([]);
    for (const name of ['zeta', 'alpha'])
      await database.prisma.alertRule.create({ data: { name, definition: `{"name":"${name}"}`, updatedAt: new Date(), updatedBy: 'admin' } });
    expect(await listStoredAlertRules(database)).toEqual(await listStoredAlertRules(database.prisma));
    expect((await listStoredAlertRules(database)).map((r) => r.name)).toEqual(['alpha', 'zeta']);
  });

  it('alerting has work while an alert is unresolved or a delivery pending, and not otherwise, through both', async () => {
    const both = async () => [await hasAlertWork(database), await hasAlertWork(database.prisma)];
    expect(await both()).toEqual([false, false]);
    const now = new Date();
    const alert = {
      groupKey: 'g',
      rule: 'r',
      severity: 'critical',
      labels: '{}',
      count: 1,
      pending: 0,
      firstSeq: 1,
      lastSeq: 1,
      firstAt: now,
      lastAt: now,
      samples: '[]',
    };
    await database.prisma.alert.create({ data: { ...alert, id: 'a1', state: 'resolved', resolvedAt: now } });
    expect(await both()).toEqual([false, false]);
    await database.prisma.alert.create({ data: { ...alert, id: 'a2', state: 'acknowledged' } });
    expect(await both()).toEqual([true, true]);
    await database.prisma.alert.update({ where: { id: 'a2' }, data: { state: 'resolved' } });
    const delivery = { alertId: 'a1', channel: 'hook', message: '{}', nextAttemptAt: now, createdAt: now };
    await database.prisma.alertDelivery.create({ data: { ...delivery, id: 'd1', state: 'sent' } });
    expect(await both()).toEqual([false, false]);
    await database.prisma.alertDelivery.create({ data: { ...delivery, id: 'd2', state: 'pending' } });
    expect(await both()).toEqual([true, true]);
  });

  it("the console's status pages list alike through both, by slug", async () => {
    expect(await listStoredStatusPages(database)).toEqual([]);
    await saveStatusPage(database.prisma, { slug: 'shop', definition: '{"slug":"shop"}', actor: 'admin' });
    await saveStatusPage(database.prisma, { slug: 'api', definition: '{"slug":"api"}', actor: 'admin' });
    expect(await listStoredStatusPages(database)).toEqual(await listStoredStatusPages(database.prisma));
    expect(await listStoredStatusPages(database)).toEqual([
      { slug: 'api', definition: '{"slug":"api"}' },
      { slug: 'shop', definition: '{"slug":"shop"}' },
    ]);
  });

  it('the stored hash of a token reads alike through both, null for an unknown id', async () => {
    expect(await storedTokenHash(database, 'env-provisioned')).toBeNull();
    await database.prisma.apiToken.create({ data: { id: 'env-provisioned', name: 'VIGIL_API_TOKEN', prefix: 'vgl_abcd', tokenHash: 'hash-1', role: 'admin' } });
    expect(await storedTokenHash(database, 'env-provisioned')).toBe('hash-1');
    expect(await storedTokenHash(database.prisma, 'env-provisioned')).toBe('hash-1');
    expect(await storedTokenHash(database, 'other')).toBeNull();
  });

  it('expired sessions are deleted, live ones kept', async () => {
    await createUser(database.prisma, { id: 'u1', username: 'ann', passwordHash: 'x', role: 'admin' });
    const session = (id: string, expiresAt: Date) => insertSession(database.prisma, { id, userId: 'u1', csrfToken: 'c', expiresAt, ip: null, userAgent: null });
    await session('gone', new Date(Date.now() - MINUTE));
    await session('live', new Date(Date.now() + MINUTE));
    expect(await deleteExpiredSessions(database, new Date())).toBe(1);
    expect((await database.prisma.session.findMany({ select: { id: true } })).map((s) => s.id)).toEqual(['live']);
  });
});
