import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { deleteSetting, readSetting, writeSetting } from './settings';

describe.each(PROVIDERS)('settings on %s', (provider) => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase(provider);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('stores JSON values by key, overwrites, and deletes', async () => {
    const prisma = db.database.prisma;
    expect(await readSetting(prisma, 'k')).toBeNull();
    await writeSetting(prisma, 'k', { level: 'LEVEL_2', list: [1, 2], nested: { ok: true } });
    expect(await readSetting(prisma, 'k')).toEqual({ level: 'LEVEL_2', list: [1, 2], nested: { ok: true } });
    await writeSetting(prisma, 'k', 'plain');
    expect(await readSetting(prisma, 'k')).toBe('plain');
    await writeSetting(prisma, 'n', null);
    expect(await readSetting(prisma, 'n')).toBeNull();
    await deleteSetting(prisma, 'k');
    await deleteSetting(prisma, 'never-set');
    expect(await readSetting(prisma, 'k')).toBeNull();
    expect(await prisma.setting.count()).toBe(1);
  });
});
