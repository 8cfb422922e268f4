import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Database, Db } from '../db/client';
import { clientOf } from '../db/store';
import { readVigilStateRows } from '../queries/vigil-state';

export const VIGIL_STATE_SOURCE = 'vigil-state';

/**
 * Runtime bookkeeping that must never travel back in time: the audit chain's verification
 * and anchor (the chain is append-only), one-time setup tokens, the current health level.
 */
const NOT_STATE = [/^audit\./, /^setup\./, /^health\.level$/];
const isState = (key: string) => !NOT_STATE.some((pattern) => pattern.test(key));

const settingsFileSchema = z.record(z.string(), z.string());
const modulesFileSchema = z.array(z.object({ name: z.string(), definition: z.string(), createdBy: z.string() }));
const allowlistFileSchema = z.array(z.object({ source: z.string(), reason: z.string(), createdBy: z.string() }));

export interface VigilStateAccess {
  exportFiles(): Promise<{ rel: string; content: Buffer }[]>;
  importFiles(files: Record<string, Buffer>): Promise<void>;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const parse = <T>(schema: z.ZodType<T>, raw: Buffer | undefined): T | null => (raw ? schema.parse(JSON.parse(raw.toString('utf8'))) : null);

/**
 * What a snapshot keeps of Vigil itself. A restore in place brings back the configuration
 * kinds (settings, console-defined modules, the allowlist). Isolations and the integrity
 * baseline are kept for the record (`--target` writes them out) but only move forward:
 * restoring an old ban list would lift bans in the middle of an attack, and a baseline is
 * re-taken by an admin on purpose, never rolled back by a side effect.
 */
export function vigilStateAccess(store: Database | Db, dataDir?: string): VigilStateAccess {
  return {
    async exportFiles() {
      const { settings: allSettings, modules, allowlist, isolations } = await readVigilStateRows(store, new Date());
      const settings = allSettings.filter((row) => isState(row.key));
      const files = [
        { rel: 'settings.json', content: json(Object.fromEntries(settings.map((row) => [row.key, row.value]))) },
        { rel: 'modules.json', content: json(modules) },
        { rel: 'allowlist.json', content: json(allowlist) },
        { rel: 'isolations.json', content: json(isolations) },
      ];
      const baseline = dataDir ? await readFile(path.join(dataDir, 'integrity-baseline.json')).catch(() => null) : null;
      if (baseline) files.push({ rel: 'integrity-baseline.json', content: baseline });
      return files;
    },
    async importFiles(files) {
      const db = clientOf(store);
      const settings = parse(settingsFileSchema, files['settings.json']);
      const modules = parse(modulesFileSchema, files['modules.json']);
      const allowlist = parse(allowlistFileSchema, files['allowlist.json']);
      const existing = await db.setting.findMany({ select: { key: true } });
      const stale = settings ? existing.map((row) => row.key).filter((key) => isState(key) && !(key in settings)) : [];
      await db.$transaction([
        ...(settings
          ? [
              db.setting.deleteMany({ where: { key: { in: stale } } }),
              ...Object.entries(settings)
                .filter(([key]) => isState(key))
                .map(([key, value]) => db.setting.upsert({ where: { key }, create: { key, value }, update: { value } })),
            ]
          : []),
        ...(modules ? [db.healingModule.deleteMany({}), ...modules.map((m) => db.healingModule.create({ data: m }))] : []),
        ...(allowlist ? [db.defenseAllowEntry.deleteMany({}), ...allowlist.map((entry) => db.defenseAllowEntry.create({ data: entry }))] : []),
      ]);
    },
  };
}
