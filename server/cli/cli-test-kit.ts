import path from 'node:path';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { openDatabase } from '../db/client';
import { readWholeChain, sqliteUrlIn } from '../test-support';

/** The audit chain of the SQLite database a CLI run used in `dataDir`. */
export async function readWholeChainAt(dataDir: string): Promise<ChainedAuditEvent[]> {
  const database = await openDatabase({ url: sqliteUrlIn(path.resolve(dataDir)) });
  try {
    return await readWholeChain(database);
  } finally {
    await database.close();
  }
}
