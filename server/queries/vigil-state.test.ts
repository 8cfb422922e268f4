// What a snapshot keeps of Vigil's tables reads the same through the SQLite driver's connection
// as through Prisma (the snapshot's files must not depend on which path exported them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { createAuditedDatabase, PROVIDERS, type AuditedDatabase } from '../test-support';
import { readVigilStateRows } from './vigil-state';

const HOUR = 3_600_000;

describe.each(PROVIDERS)('Vigil state rows (%s)', (provider) => {
  let store: AuditedDatabase;
  let database: Database;
  const now = new Date();
  beforeAll(async () => {
    store = await createAuditedDatabase(provider);
    database = store.db.database;
    const db = database.prisma;
    await db.setting.createMany({
      data: [
        { key: 'z.last', value: '"z"' },
        { key: 'a.first', value: '{"n":1}' },
      ],
    });
    await db.healingModule.create({ data: { name: 'web', definition: '{"kind":"http"}', createdBy: 'admin' } });
    await db.defenseAllowEntry.create({ data: { source: '10.0.0.0/8', reason: 'office', createdBy: 'admin' } });
    const decision = { origin: 'manual', reason: 'test', actor: 'admin' };
    await db.defenseDecision.createMany({
      data: [
        { ...decision, source: '192.0.2.1', scenario: 'brute', offence: 2, expiresAt: new Date(now.getTime() + HOUR) },
        { ...decision, source: '192.0.2.2', expiresAt: new Date(now.getTime() - HOUR) },
        { ...decision, source: '192.0.2.3', liftedAt: new Date(now.getTime() - HOUR), liftedBy: 'admin' },
        { ...decision, source: '192.0.2.4' },
      ],
    });
  });
  afterAll(async () => {
    await store?.destroy();
  });

  it('holds the settings, modules, allowlist and the isolations in force, ordered', async () => {
    const rows = await readVigilStateRows(database, now);
    expect(rows.settings.map((s) => s.key)).toEqual(['a.first', 'z.last']);
    expect(rows.modules).toEqual([{ name: 'web', definition: '{"kind":"http"}', createdBy: 'admin' }]);
    expect(rows.allowlist).toEqual([{ source: '10.0.0.0/8', reason: 'office', createdBy: 'admin' }]);
    expect(rows.isolations.map((d) => d.source)).toEqual(['192.0.2.1', '192.0.2.4']);
    expect(rows.isolations[0]).toMatchObject({ scenario: 'brute', offence: 2, liftedAt: null, liftedBy: null });
    expect(rows.isolations[0].expiresAt).toBeInstanceOf(Date);
  });

  it('writes the same JSON through the driver as through Prisma', async () => {
    const viaDatabase = await readVigilStateRows(database, now);
    const viaPrisma = await readVigilStateRows(database.prisma, now);
    expect(JSON.stringify(viaDatabase)).toBe(JSON.stringify(viaPrisma));
  });
});
