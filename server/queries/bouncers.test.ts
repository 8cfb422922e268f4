import { afterEach, describe, expect, it } from 'vitest';
import { addBouncer } from '../defense/bouncer-admin';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { listBouncers, saveBouncerPulls, type BouncerPullState } from './bouncers';

let db: MigratedDatabase | null = null;
afterEach(async () => {
  await db?.destroy();
  db = null;
});

describe.each(PROVIDERS)('bouncer pulls saved in one statement on %s', (provider) => {
  it('writes every bouncer of the batch, each with its own values, and leaves the others alone', async () => {
    db = await createMigratedDatabase(provider);
    const prisma = db.database.prisma;
    for (const name of ['a', 'b', 'c']) await addBouncer({ db: prisma, audit: null, name, actor: 'test' });
    const at = new Date('2026-12-06T19:00:00.123Z');
    const pulls = new Map<string, BouncerPullState>([
      [
        'a',
        { address: '10.0.0.1', version: 'cs-firewall-bouncer/v0.0.25', lastPullAt: at, lastStatus: 200, delivered: 100_001, intervalMs: 1000, stale: false },
      ],
      ['b', { address: null, version: null, lastPullAt: new Date(at.getTime() + 1), lastStatus: 401, delivered: 0, intervalMs: null, stale: true }],
      // A bouncer deleted meanwhile: nothing to update, nothing created.
      ['gone', { address: '10.0.0.9', version: null, lastPullAt: at, lastStatus: 200, delivered: 1, intervalMs: null, stale: false }],
    ]);
    await saveBouncerPulls(db.database, pulls);
    await saveBouncerPulls(db.database, new Map());
    const rows = new Map((await listBouncers(prisma)).map((row) => [row.name, row]));
    expect(rows.size).toBe(3);
    expect(rows.get('a')).toMatchObject({
      address: '10.0.0.1',
      version: 'cs-firewall-bouncer/v0.0.25',
      lastStatus: 200,
      delivered: 100_001,
      intervalMs: 1000,
      stale: false,
    });
    expect(rows.get('a')!.lastPullAt?.toISOString()).toBe('2026-12-06T19:00:00.123Z');
    expect(rows.get('b')).toMatchObject({ address: null, version: null, lastStatus: 401, delivered: 0, intervalMs: null, stale: true });
    expect(rows.get('b')!.lastPullAt?.toISOString()).toBe('2026-12-06T19:00:00.124Z');
    expect(rows.get('c')).toMatchObject({ lastPullAt: null, lastStatus: null, delivered: 0, stale: false });
    // Found by time as Prisma compares it: the stored text is in the form it writes itself.
    expect(await prisma.bouncer.count({ where: { lastPullAt: { gte: at } } })).toBe(2);
  });
});
