// Full verification of the audit chain (every hash, link and seq, and a signed checkpoint
// every 1,000 events) over 1,000,000 stored events, on SQLite and on PostgreSQL.
//
//   npx tsx bench/audit-verify.ts [--events 1000000] [--pg-events 1000000] [--only sqlite|postgres]
//                                 [--pg postgresql://postgres@127.0.0.1:5432/postgres]
//
// The chain is seeded fast, outside the production append path (linkEvents for valid
// hashes, then prepared inserts in one transaction on SQLite and 10k-row jsonb inserts on
// PostgreSQL), and then verified with verifyAuditTrail, the code the worker and the CLI run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { GENESIS_HASH, linkEvents } from '@/lib/audit/hash-chain';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { verifyAuditTrail, type VerificationResult } from '@/server/audit/audit-verifier';
import { loadCheckpointKey, signCheckpoint, type CheckpointKey } from '@/server/audit/checkpoint-key';
import { openDatabase, type Database } from '@/server/db/client';
import { applyMigrations } from '@/server/db/migrate';
import { appendAuditBatch, type PendingAuditEvent } from '@/server/queries/audit';
import { fmtInt, intArg, machineInfo, monoMs, parseArgs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { sqliteBulkInserter } from './lib/sqlite-seed';

const args = parseArgs();
const EVENTS = intArg(args, 'events', 1_000_000);
const PG_EVENTS = intArg(args, 'pg-events', 1_000_000);
const CHECKPOINT_EVERY = 1000;
const ONLY = args.get('only');
const PG_ADMIN_URL = args.get('pg') ?? process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TARGET = 200_000;
const SEED_BATCH = 10_000;

const TYPES = ['health.sample', 'degradation.changed', 'threat.detected', 'module.restarted', 'auth.login'];
function pending(i: number, at: number): PendingAuditEvent {
  return {
    eventId: randomUUID(),
    at: new Date(at).toISOString(),
    type: TYPES[i % TYPES.length],
    severity: i % 97 === 0 ? 'warning' : 'info',
    actor: i % 3 === 0 ? 'system' : `user:op${i % 17}`,
    action: `action ${i % 50}`,
    module: `module-${i % 20}`,
    resource: i % 4 === 0 ? `/srv/app/${i % 100}` : null,
    reason: null,
    method: 'probe',
    source: `203.0.113.${i % 250}`,
    details: { i, latencyMs: i % 900, ok: i % 11 !== 0, note: randomBytes(6).toString('hex') },
  };
}

/** Builds the chain in batches and hands each to `store`, signing a checkpoint every 1,000 events. */
async function seed(
  count: number,
  key: CheckpointKey,
  store: (events: ChainedAuditEvent[]) => Promise<void> | void,
  checkpoint: (seq: number, hash: string) => Promise<void> | void,
): Promise<number> {
  const t0 = monoMs();
  let head = { seq: 0, hash: GENESIS_HASH };
  const start = Date.now() - count;
  for (let done = 0; done < count; done += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, count - done);
    const linked = linkEvents(
      head,
      Array.from({ length: n }, (_, k) => pending(done + k, start + done + k)),
    );
    await store(linked);
    for (const event of linked) if (event.seq % CHECKPOINT_EVERY === 0) await checkpoint(event.seq, event.hash);
    head = linked[linked.length - 1];
  }
  return monoMs() - t0;
}

async function checkpointRow(database: Database, key: CheckpointKey, seq: number, hash: string): Promise<void> {
  const signed = signCheckpoint(key, { seq, hash, at: new Date().toISOString() });
  await database.prisma.auditCheckpoint.create({ data: { ...signed, at: new Date(signed.at) } });
}

interface BackendResult {
  backend: 'sqlite' | 'postgresql';
  events: number;
  seedMs: number;
  verify: Pick<VerificationResult, 'ok' | 'events' | 'checkpointsChecked' | 'eventsPerSecond'> & { elapsedMs: number };
  target: number;
  pass: boolean;
}

async function measure(backend: BackendResult['backend'], database: Database, key: CheckpointKey, events: number, seedMs: number): Promise<BackendResult> {
  // Two runs: the first warms the page cache and the JIT, the second is reported.
  await verifyAuditTrail({ database, key, mode: 'full' });
  const t0 = monoMs();
  const result = await verifyAuditTrail({ database, key, mode: 'full' });
  const elapsedMs = monoMs() - t0;
  if (!result.ok || result.events !== events) throw new Error(`${backend}: verification did not pass: ${result.message}`);
  const eventsPerSecond = Math.round(result.events / (elapsedMs / 1000));
  return {
    backend,
    events,
    seedMs: round(seedMs, 0),
    verify: { ok: result.ok, events: result.events, checkpointsChecked: result.checkpointsChecked, eventsPerSecond, elapsedMs: round(elapsedMs, 0) },
    target: TARGET,
    pass: eventsPerSecond >= TARGET,
  };
}

async function benchSqlite(dir: string, key: CheckpointKey): Promise<BackendResult> {
  const url = `file:${path.join(dir, 'verify.db')}`;
  await applyMigrations(url);
  const database = await openDatabase({ url });
  addCleanup(() => database.close());
  const raw = database.sqlite!;
  const insertMany = sqliteBulkInserter(raw);
  const seedMs = await seed(
    EVENTS,
    key,
    (rows) => insertMany(rows),
    (seq, hash) => checkpointRow(database, key, seq, hash),
  );
  raw.pragma('synchronous = FULL');
  return measure('sqlite', database, key, EVENTS, seedMs);
}

async function benchPostgres(key: CheckpointKey): Promise<BackendResult> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const name = `vigil_bench_verify_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  addCleanup(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const database = await openDatabase({ url: url.toString(), poolSize: 2 });
  addCleanup(() => database.close());
  const seedMs = await seed(
    PG_EVENTS,
    key,
    async (rows) => {
      await appendAuditBatch(
        database,
        rows.map(({ seq: _s, prevHash: _p, hash: _h, ...rest }) => rest),
        { seq: rows[0].seq - 1, hash: rows[0].prevHash },
      );
    },
    (seq, hash) => checkpointRow(database, key, seq, hash),
  );
  await database.prisma.$executeRawUnsafe('VACUUM ANALYZE "AuditEvent"');
  return measure('postgresql', database, key, PG_EVENTS, seedMs);
}

runBenchmark({
  name: 'audit-verify',
  hardLimitMs: 600_000,
  async main() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-verify-'));
    addCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const key = loadCheckpointKey(path.join(dir, 'audit.key'), { create: true })!;
    const results: BackendResult[] = [];
    const errors: Record<string, string> = {};
    if (!ONLY || ONLY === 'sqlite') results.push(await benchSqlite(dir, key));
    if (!ONLY || ONLY === 'postgres') {
      try {
        results.push(await benchPostgres(key));
      } catch (error) {
        errors.postgresql = (error as Error).message;
      }
    }
    await runCleanups();
    console.log(
      table(
        ['backend', 'events', 'seed s', 'verify s', 'checkpoints', 'events/s', 'target', ''],
        results.map((r) => [
          r.backend,
          fmtInt(r.events),
          round(r.seedMs / 1000, 1),
          round(r.verify.elapsedMs / 1000, 2),
          fmtInt(r.verify.checkpointsChecked),
          fmtInt(r.verify.eventsPerSecond),
          fmtInt(r.target),
          verdict(r.pass),
        ]),
      ),
    );
    for (const [backend, message] of Object.entries(errors)) console.log(`${backend}: ${message}`);
    const file = writeResult('audit-verify', { machineInfo: machineInfo(), results, errors });
    console.log(`results: ${file}`);
    if (results.some((r) => !r.pass) || Object.keys(errors).length > 0) process.exitCode = 1;
  },
});
