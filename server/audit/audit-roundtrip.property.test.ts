import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '@/lib/canonical-json';
import { readAuditPage } from '../queries/audit';
import { anyJsonObject, anyText, storableJson, storableText } from '../test-support/audit-arbitraries';
import { createMigratedDatabase, PROVIDERS, silentLogger, type MigratedDatabase } from '../test-support';
import { AuditWriter } from './audit-writer';
import { verifyAuditTrail } from './audit-verifier';

describe.each(PROVIDERS)('whatever the audit boundary accepts is stored, read back and verified as it was (%s)', (provider) => {
  let db: MigratedDatabase;
  let writer: AuditWriter;

  beforeAll(async () => {
    db = await createMigratedDatabase(provider);
    writer = new AuditWriter({ database: db.database, spoolFile: db.dir.join('spool.ndjson'), log: silentLogger() });
    await writer.start();
  });

  afterAll(async () => {
    await writer.close();
    await db.destroy();
  });

  it('for arbitrary text and JSON: refused with a 422 exactly when not storable, otherwise identical after the round trip', { timeout: 120_000 }, async () => {
    let committed = 0;
    await fc.assert(
      fc.asyncProperty(
        anyText(8).filter((t) => t.length > 0),
        anyText(40),
        anyJsonObject,
        async (action, reason, details) => {
          const storable = storableText(action) && storableText(reason) && storableJson(details);
          const outcome = await writer
            .append({ type: 'test.roundtrip', severity: 'info', actor: 'property', action, reason, details })
            .catch((error: unknown) => error);
          if (!storable) {
            expect(outcome).toMatchObject({ status: 422 });
            return;
          }
          expect(outcome).toMatchObject({ status: 'committed' });
          const seq = (outcome as { seq: number }).seq;
          committed += 1;
          const [stored] = await readAuditPage(db.database.prisma, seq - 1, 1);
          expect(stored.action).toBe(action);
          expect(stored.reason).toBe(reason);
          expect(canonicalJson(stored.details)).toBe(canonicalJson(details));
        },
      ),
      { numRuns: 200 },
    );
    // Hashes checked from the rows as the drivers return them, in a thread of its own.
    const verified = await verifyAuditTrail({ database: db.database, key: null, mode: 'full' });
    expect(verified).toMatchObject({ ok: true, events: committed });
    expect(committed).toBeGreaterThan(50);
  });
});
