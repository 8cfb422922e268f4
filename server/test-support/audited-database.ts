import { AuditWriter } from '../audit';
import type { DatabaseProvider } from '../db/database-url';
import { createMigratedDatabase, type MigratedDatabase } from './databases';
import { silentLogger } from './log';

export interface AuditedDatabase {
  db: MigratedDatabase;
  audit: AuditWriter;
  /** Closes the writer, then destroys the database. */
  destroy(): Promise<void>;
}

/** A migrated database with a started audit writer on it, as the worker has: for what is rebuilt from the trail. */
export async function createAuditedDatabase(provider: DatabaseProvider): Promise<AuditedDatabase> {
  const db = await createMigratedDatabase(provider);
  const audit = new AuditWriter({ database: db.database, spoolFile: db.dir.join('spool.ndjson'), log: silentLogger() });
  await audit.start();
  return {
    db,
    audit,
    async destroy() {
      await audit.close().catch(() => undefined);
      await db.destroy();
    },
  };
}
