import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditWriter, verifyStoredChain } from '.';
import type { Database } from '../db/client';
import type { PendingAuditEvent } from '../queries/audit';
import {
  api,
  createEmptyDatabase,
  createMigratedDatabase,
  PROVIDERS,
  readWholeChain,
  silentLogger,
  TEST_API_TOKEN,
  waitFor,
  workerEnvFor,
  FixedSampler,
  type EmptyDatabase,
  type MigratedDatabase,
} from '../test-support';
import { startWorker } from '../worker';

function pending(action: string, details: PendingAuditEvent['details'] = {}): PendingAuditEvent {
  return {
    eventId: randomUUID(),
    at: new Date().toISOString(),
    type: 'test.spooled',
    severity: 'info',
    actor: 'earlier-run',
    action,
    module: null,
    resource: null,
    reason: null,
    method: null,
    source: null,
    details,
  };
}

function nested(levels: number): PendingAuditEvent['details'] {
  let value: PendingAuditEvent['details'] = { leaf: 1 };
  for (let i = 0; i < levels; i++) value = { d: value };
  return value;
}

function writeSpool(file: string, events: PendingAuditEvent[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, events.map((e) => `${JSON.stringify({ ...e, afterSeq: 0 })}\n`).join(''));
}

function deadLetters(file: string): Array<{ reason: string; event: PendingAuditEvent }> {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { reason: string; event: PendingAuditEvent })
    : [];
}

/** A rule the database itself enforces, so a refusal comes from the database and not from Vigil's own checks. */
async function refuseActionInDatabase(database: Database, action: string): Promise<void> {
  if (database.provider === 'sqlite') {
    await database.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_poison BEFORE INSERT ON "AuditEvent" WHEN NEW."action" = '${action}' BEGIN SELECT RAISE(ABORT, 'refused by a rule'); END`,
    );
    return;
  }
  await database.prisma.$executeRawUnsafe(
    `CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."action" = '${action}' THEN RAISE EXCEPTION 'refused by a rule'; END IF; RETURN NEW; END $$`,
  );
  await database.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_poison BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION refuse_poison()`);
}

describe.each(PROVIDERS)('AuditWriter quarantines events the chain can never take (%s)', (provider) => {
  let db: MigratedDatabase;
  let writer: AuditWriter | null = null;
  const spoolFile = () => db.dir.join('data', 'audit-spool.ndjson');
  const newWriter = () => new AuditWriter({ database: db.database, spoolFile: spoolFile(), log: silentLogger(), retryBaseMs: 20, retryMaxMs: 100 });

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
  });

  afterEach(async () => {
    await writer?.close().catch(() => undefined);
    writer = null;
    await db.destroy();
  });

  it('moves poisoned spool entries to the dead-letter file, says so in the chain, and commits the rest in order', async () => {
    const good = [pending('first'), pending('second'), pending('third')];
    const tooDeep = pending('too deep', nested(80));
    const withNul = { ...pending('nul'), details: { text: 'a\u0000b' } };
    const loneSurrogate = pending('lone \ud800 surrogate');
    writeSpool(spoolFile(), [good[0], tooDeep, good[1], withNul, loneSurrogate, good[2]]);

    writer = newWriter();
    await writer.start();
    await writer.flush();

    expect(writer.status()).toMatchObject({ ok: true, pendingEvents: 0 });
    expect(existsSync(spoolFile())).toBe(false);
    const letters = deadLetters(writer.deadLetterFile);
    expect(letters.map((l) => l.event.eventId)).toEqual([tooDeep.eventId, withNul.eventId, loneSurrogate.eventId]);
    expect(letters[0].reason).toContain('details');
    const chain = await readWholeChain(db.database);
    expect(chain.filter((e) => e.type === 'test.spooled').map((e) => e.eventId)).toEqual(good.map((e) => e.eventId));
    const notices = chain.filter((e) => e.type === 'audit.event_quarantined');
    expect(notices.map((e) => e.details.eventId)).toEqual(letters.map((l) => l.event.eventId));
    expect(await verifyStoredChain(db.database.prisma)).toMatchObject({ ok: true, verified: chain.length });
  });

  it('isolates an event the database refuses; the events beside it are committed and later appends flow', async () => {
    await refuseActionInDatabase(db.database, 'refused');
    writer = newWriter();
    await writer.start();
    const input = (action: string) => ({ type: 'test.batch', severity: 'info' as const, actor: 'tester', action });
    const receipts = await Promise.all([input('before'), input('refused'), input('after')].map((e) => writer!.append(e)));
    expect(receipts.map((r) => r.status)).toEqual(['committed', 'quarantined', 'committed']);
    const later = await writer.append(input('later'));
    expect(later.status).toBe('committed');
    expect(writer.status()).toMatchObject({ ok: true, pendingEvents: 0 });

    expect(deadLetters(writer.deadLetterFile).map((l) => l.event.action)).toEqual(['refused']);
    const chain = await readWholeChain(db.database);
    expect(chain.map((e) => e.action)).toEqual(['before', 'after', 'quarantine an audit event', 'later']);
    expect(chain[2].reason).toContain('refused by a rule');
    expect(await verifyStoredChain(db.database.prisma)).toMatchObject({ ok: true });
  });
});

describe.each(PROVIDERS)('a worker that starts with a poisoned spool (%s)', (provider) => {
  let empty: EmptyDatabase;

  beforeEach(async () => {
    empty = await createEmptyDatabase(provider);
  });

  afterEach(async () => {
    await empty.destroy();
  });

  it('quarantines it, reports ok on /healthz, and ingests what comes next', async () => {
    const env = workerEnvFor({ dataDir: empty.dir.join('data'), databaseUrl: empty.url });
    const poison = pending('too deep', nested(100));
    writeSpool(path.join(env.dataDir, 'audit-spool.ndjson'), [poison]);
    const worker = await startWorker({ env, sampler: new FixedSampler(), log: silentLogger() });
    try {
      await waitFor(async () => (await api<{ status: string }>(worker.port, '/healthz')).body.status === 'ok', { what: '/healthz ok' });
      const ingest = await api(worker.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events: [{ type: 'custom', name: 'after the poison' }] } });
      expect(ingest.status).toBe(202);
      await worker.audit.flush();
      const chain = await readWholeChain(worker.database);
      expect(chain.map((e) => e.type)).toEqual(expect.arrayContaining(['audit.event_quarantined', 'app.custom']));
      expect(deadLetters(worker.audit.deadLetterFile).map((l) => l.event.eventId)).toEqual([poison.eventId]);
      expect((await api<{ database: { pendingEvents: number } }>(worker.port, '/healthz')).body.database.pendingEvents).toBe(0);
    } finally {
      await worker.close('test finished');
    }
  });
});
