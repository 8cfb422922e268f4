import type { Db } from '../db/client';

/** Console settings are Setting rows under this prefix, so a snapshot's Vigil state carries them. */
export const CONSOLE_SETTING_PREFIX = 'config.console.';

export interface ConsoleSettingRow {
  section: string;
  /** Sealed JSON: `{ value, updatedBy, updatedAt }`. */
  sealed: string;
}

export async function readConsoleSettings(db: Db): Promise<ConsoleSettingRow[]> {
  const rows = await db.setting.findMany({ where: { key: { startsWith: CONSOLE_SETTING_PREFIX } }, orderBy: { key: 'asc' } });
  return rows.map((row) => ({ section: row.key.slice(CONSOLE_SETTING_PREFIX.length), sealed: row.value }));
}

export async function writeConsoleSetting(db: Db, section: string, sealed: string): Promise<void> {
  const key = CONSOLE_SETTING_PREFIX + section;
  await db.setting.upsert({ where: { key }, create: { key, value: sealed }, update: { value: sealed } });
}

/** Whether there was a console version to remove. */
export async function deleteConsoleSetting(db: Db, section: string): Promise<boolean> {
  const { count } = await db.setting.deleteMany({ where: { key: CONSOLE_SETTING_PREFIX + section } });
  return count > 0;
}
