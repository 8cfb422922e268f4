import type { Db } from '../db/client';
import { prismaOf, serializeSqliteWrite, sqliteOf, toSqliteDate, type Store } from '../db/store';

export async function readSetting<T>(store: Store, key: string): Promise<T | null> {
  const sqlite = sqliteOf(store);
  const row = sqlite
    ? (sqlite.prepare('SELECT "value" FROM "Setting" WHERE "key" = ?').get(key) as { value: string } | undefined)
    : await prismaOf(store).setting.findUnique({ where: { key }, select: { value: true } });
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function writeSetting(store: Store, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  const sqlite = sqliteOf(store);
  if (sqlite) {
    await serializeSqliteWrite(sqlite, () =>
      sqlite
        .prepare(
          'INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"',
        )
        .run(key, json, toSqliteDate(new Date())),
    );
    return;
  }
  await prismaOf(store).setting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.setting.deleteMany({ where: { key } });
}
