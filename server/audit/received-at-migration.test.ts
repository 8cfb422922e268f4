import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, linkEvents } from '@/lib/audit/hash-chain';
import { canonicalJson } from '@/lib/canonical-json';
import { openDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { createEmptyDatabase, makeTempDir, PROVIDERS, type EmptyDatabase, type TempDir } from '../test-support';
import { verifyAuditTrail } from './audit-verifier';
import { toPendingEvent } from './pending-event';

const MIGRATIONS = path.resolve('prisma', 'migrations');
const ADDED = '0007_audit_received_at';

/** The committed migrations, with or without the one that adds the receive time, in a directory of their own. */
function migrationsDir(into: TempDir, withAdded: boolean): string {
  const dir = into.join(withAdded ? 'all' : 'before');
  for (const name of readdirSync(MIGRATIONS)) {
    if (name !== ADDED || withAdded) cpSync(path.join(MIGRATIONS, name), path.join(dir, name), { recursive: true });
  }
  return dir;
}

/** A chain written the way a release before the receive time wrote it: the same columns, no receivedAt. */
async function writeOldChain(database: Database, count: number): Promise<void> {
  const events = linkEvents(
    { seq: 0, hash: GENESIS_HASH },
    Array.from({ length: count }, (_, i) =>
      toPendingEvent({ type: 'test.old', severity: 'info', actor: 'a', action: `old ${i}`, details: { i, text: 'ü 😀' } }),
    ),
  );
  const columns = [
    'seq',
    'eventId',
    'at',
    'type',
    'severity',
    'actor',
    'action',
    'module',
    'resource',
    'reason',
    'method',
    'source',
    'details',
    'prevHash',
    'hash',
  ] as const;
  const sqlite = database.provider === 'sqlite';
  const placeholders = columns.map((_, i) => (sqlite ? '?' : `$${i + 1}${columns[i] === 'at' ? '::timestamp(3)' : ''}`)).join(', ');
  for (const event of events) {
    const values = columns.map((c) => (c === 'details' ? canonicalJson(event.details) : c === 'at' && sqlite ? event.at.replace('Z', '+00:00') : event[c]));
    await database.prisma.$executeRawUnsafe(`INSERT INTO "AuditEvent" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${placeholders})`, ...values);
  }
}

describe.each(PROVIDERS)('adding the receive time (%s)', (provider) => {
  let empty: EmptyDatabase;
  let tmp: TempDir;

  beforeEach(async () => {
    empty = await createEmptyDatabase(provider);
    tmp = makeTempDir();
  });

  afterEach(async () => {
    await empty.destroy();
    tmp.remove();
  });

  it('keeps an existing chain verifiable and gives its rows the migration time', async () => {
    await applyMigrations(empty.url, migrationsDir(tmp, false));
    const before = await openDatabase({ url: empty.url });
    try {
      await writeOldChain(before, 25);
    } finally {
      await before.close();
    }
    const migratedAt = Date.now();
    await applyMigrations(empty.url, migrationsDir(tmp, true));
    const database = await openDatabase({ url: empty.url });
    try {
      expect(await verifyAuditTrail({ database, key: null, mode: 'full' })).toMatchObject({ ok: true, events: 25 });
      const rows = await database.prisma.auditEvent.findMany({ select: { receivedAt: true } });
      expect(rows).toHaveLength(25);
      for (const row of rows) expect(Math.abs(row.receivedAt!.getTime() - migratedAt)).toBeLessThan(60_000);
    } finally {
      await database.close();
    }
  });
});
