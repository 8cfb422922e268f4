import type { Logger } from '../log';
import type { WorkerEnv } from '../env/worker-env';
import { openDatabase, type Database } from './client';
import { applyMigrations } from './migrate';
import { SchemaKeeper } from './schema-keeper';

export interface StartedDatabase {
  database: Database;
  schema: SchemaKeeper;
  /**
   * Runs `task` now when the schema is in place, else once the database answers. With the
   * database unreachable at start, the worker serves degraded (no stored isolations or
   * console modules yet) instead of dying.
   */
  whenDatabase(task: () => Promise<unknown>): Promise<unknown>;
  stop(): void;
  close(): Promise<void>;
}

export async function startDatabase({ env, migrationsDir, log }: { env: WorkerEnv; migrationsDir?: string; log: Logger }): Promise<StartedDatabase> {
  const database = await openDatabase({ url: env.databaseUrl, busyTimeoutMs: env.sqliteBusyTimeoutMs });
  const schema = new SchemaKeeper(() => applyMigrations(env.databaseUrl, migrationsDir), log);
  try {
    await schema.ensure();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return {
    database,
    schema,
    whenDatabase: async (task) => (schema.isReady ? task() : schema.whenReady(task)),
    stop: () => schema.stop(),
    close: () => database.close(),
  };
}
