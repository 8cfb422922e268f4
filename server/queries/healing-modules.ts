import type { Db } from '../db/client';
import { prismaOf, sqliteOf, type Store } from '../db/store';

export async function listConsoleModules(store: Store): Promise<{ name: string; definition: string }[]> {
  const sqlite = sqliteOf(store);
  if (sqlite) return sqlite.prepare('SELECT "name", "definition" FROM "HealingModule" ORDER BY "name" ASC').all() as { name: string; definition: string }[];
  return prismaOf(store).healingModule.findMany({ select: { name: true, definition: true }, orderBy: { name: 'asc' } });
}

export async function saveConsoleModule(db: Db, input: { name: string; definition: string; actor: string }): Promise<void> {
  await db.healingModule.upsert({
    where: { name: input.name },
    create: { name: input.name, definition: input.definition, createdBy: input.actor },
    update: { definition: input.definition },
  });
}

export async function deleteConsoleModule(db: Db, name: string): Promise<boolean> {
  return (await db.healingModule.deleteMany({ where: { name } })).count > 0;
}

/** One console module's stored definition (JSON), or null when the console defined none by that name. */
export async function findConsoleModule(db: Db, name: string): Promise<string | null> {
  return (await db.healingModule.findUnique({ where: { name }, select: { definition: true } }))?.definition ?? null;
}
