import { prismaOf, sqliteOf, type Store } from '../db/store';

/** Console settings are Setting rows under this prefix, so a snapshot's Vigil state carries them. */
export const CONSOLE_SETTING_PREFIX = 'config.console.';

export interface ConsoleSettingRow {
  section: string;
  /** Sealed JSON: `{ value, updatedBy, updatedAt }`. */
  sealed: string;
}

/** Read at every start: on SQLite a statement of the driver's, so an idle worker needs no Prisma. */
export async function readConsoleSettings(store: Store): Promise<ConsoleSettingRow[]> {
  const sqlite = sqliteOf(store);
  const rows = sqlite
    ? (sqlite
        .prepare('SELECT "key", "value" FROM "Setting" WHERE substr("key", 1, ?) = ? ORDER BY "key"')
        .all(CONSOLE_SETTING_PREFIX.length, CONSOLE_SETTING_PREFIX) as { key: string; value: string }[])
    : await prismaOf(store).setting.findMany({ where: { key: { startsWith: CONSOLE_SETTING_PREFIX } }, orderBy: { key: 'asc' } });
  return rows.map((row) => ({ section: row.key.slice(CONSOLE_SETTING_PREFIX.length), sealed: row.value }));
}

export async function writeConsoleSetting(store: Store, section: string, sealed: string): Promise<void> {
  const key = CONSOLE_SETTING_PREFIX + section;
  await prismaOf(store).setting.upsert({ where: { key }, create: { key, value: sealed }, update: { value: sealed } });
}

/** Whether there was a console version to remove. */
export async function deleteConsoleSetting(store: Store, section: string): Promise<boolean> {
  const { count } = await prismaOf(store).setting.deleteMany({ where: { key: CONSOLE_SETTING_PREFIX + section } });
  return count > 0;
}
