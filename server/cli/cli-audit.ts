import path from 'node:path';
import { AuditWriter } from '../audit';
import { openDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migrate';
import type { CliEnv } from '../env/cli-env';
import { quietLogger } from './quiet-logger';

/** The worker's database and an audit writer on it, for CLI commands; throws when the database is unusable. */
export async function openCliAudit(env: CliEnv): Promise<{ database: Database; audit: AuditWriter }> {
  await applyMigrations(env.databaseUrl);
  const database = await openDatabase({ url: env.databaseUrl, busyTimeoutMs: Math.max(env.sqliteBusyTimeoutMs, 2000), poolSize: 2 });
  try {
    const audit = new AuditWriter({ database, spoolFile: path.join(env.dataDir, 'audit-spool-cli.ndjson'), log: quietLogger() });
    await audit.start();
    return { database, audit };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
