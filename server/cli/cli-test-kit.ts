import path from 'node:path';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { openDatabase } from '../db/client';
import { appendAuditBatch } from '../queries/audit';
import { insertCheckpoint } from '../queries/audit-checkpoints';
import { loadCheckpointKey, signCheckpoint } from '../audit/checkpoint-key';
import { toPendingEvent } from '../audit/pending-event';
import { readWholeChain, sqliteUrlIn, TEST_SECRET, type MigratedDatabase } from '../test-support';

/** The audit chain of the SQLite database a CLI run used in `dataDir`. */
export async function readWholeChainAt(dataDir: string): Promise<ChainedAuditEvent[]> {
  const database = await openDatabase({ url: sqliteUrlIn(path.resolve(dataDir)) });
  try {
    return await readWholeChain(database);
  } finally {
    await database.close();
  }
}

/** The environment a CLI run needs for `db`, and a chain of 20 events with a signed checkpoint at #10. */
export async function seedCliAuditChain(db: MigratedDatabase): Promise<Record<string, string>> {
  const env = {
    VIGIL_DATA_DIR: db.dir.path,
    DATABASE_URL: db.url,
    VIGIL_SECRET: TEST_SECRET,
    VIGIL_AUDIT_KEY_PATH: db.dir.join('audit.key'),
    LOG_LEVEL: 'silent',
  };
  const key = loadCheckpointKey(env.VIGIL_AUDIT_KEY_PATH, { create: true })!;
  const events = Array.from({ length: 20 }, (_, i) =>
    toPendingEvent({ type: 'test.cli', severity: 'info', actor: 'tester', action: `act ${i}`, details: { i } }),
  );
  const linked = await appendAuditBatch(db.database, events);
  await insertCheckpoint(db.database.prisma, signCheckpoint(key, { seq: 10, hash: linked[9].hash, at: new Date().toISOString() }));
  return env;
}
