import { z } from 'zod';
import type { Db } from '../db/client';

export const VIGIL_STATE_SOURCE = 'vigil-state';

/**
 * Runtime bookkeeping that must never travel back in time: the audit chain's verification
 * and anchor (the chain is append-only), one-time setup tokens, the current health level.
 */
const NOT_STATE = [/^audit\./, /^setup\./, /^health\.level$/];
const isState = (key: string) => !NOT_STATE.some((pattern) => pattern.test(key));

const settingsFileSchema = z.record(z.string(), z.string());

export interface VigilStateAccess {
  exportFiles(): Promise<{ rel: string; content: Buffer }[]>;
  importFiles(files: Record<string, Buffer>): Promise<void>;
}

/** Settings today; each capability's own tables join this list as they gain state worth keeping. */
export function vigilStateAccess(db: Db): VigilStateAccess {
  return {
    async exportFiles() {
      const rows = await db.setting.findMany({ orderBy: { key: 'asc' } });
      const settings = Object.fromEntries(rows.filter((row) => isState(row.key)).map((row) => [row.key, row.value]));
      return [{ rel: 'settings.json', content: Buffer.from(`${JSON.stringify(settings, null, 2)}\n`) }];
    },
    async importFiles(files) {
      const raw = files['settings.json'];
      if (!raw) return;
      const settings = settingsFileSchema.parse(JSON.parse(raw.toString('utf8')));
      const existing = await db.setting.findMany({ select: { key: true } });
      const stale = existing.map((row) => row.key).filter((key) => isState(key) && !(key in settings));
      await db.$transaction([
        db.setting.deleteMany({ where: { key: { in: stale } } }),
        ...Object.entries(settings)
          .filter(([key]) => isState(key))
          .map(([key, value]) => db.setting.upsert({ where: { key }, create: { key, value }, update: { value } })),
      ]);
    },
  };
}
