// Audit search and export over 1,000,000 stored events on SQLite, or 10,000,000 on PostgreSQL.
//
//   npx tsx bench/audit-filter.ts [--backend sqlite|postgres] [--events N] [--warm 30]
//                                 [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--export]
//
// SQLite: seeds a valid chain fast (linkEvents for the hashes, prepared inserts in one
// transaction per 10k rows, outside the production append path). PostgreSQL: generates the
// same mix server-side into a throwaway database (filler hashes, not a chain). Then measures
// searchAuditEvents (the code GET /api/audit runs) for the common filters: cold = the first
// query on a freshly opened connection (the database's caches are not dropped), warm = the
// same query repeated. Export = streamAuditEvents → NDJSON lines → /dev/null (on PostgreSQL
// only with --export).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, linkEvents } from '@/lib/audit/hash-chain';
import { ndjsonLine } from '@/lib/audit/export-format';
import type { AuditSearchFilters } from '@/lib/audit/filters';
import { openDatabase, type Database } from '@/server/db/client';
import { applyMigrations } from '@/server/db/migrate';
import type { PendingAuditEvent } from '@/server/queries/audit';
import { searchAuditEvents, streamAuditEvents } from '@/server/queries/audit-search';
import { distribution, fmtInt, intArg, machineInfo, monoMs, parseArgs, round, roundDist, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { FILTER_TYPES, seedPostgresFilterFixture } from './lib/pg-filter-seed';
import { sqliteBulkInserter } from './lib/sqlite-seed';

const args = parseArgs();
const POSTGRES = args.get('backend') === 'postgres';
const EVENTS = intArg(args, 'events', POSTGRES ? 10_000_000 : 1_000_000);
const WARM = intArg(args, 'warm', 30);
const PG_ADMIN_URL = args.get('pg') ?? process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const EXPORT = !POSTGRES || args.has('export');
const SPAN_MS = 30 * 86_400_000;
const TARGET = { p95Ms: POSTGRES ? 100 : 50, exportPerSecond: 50_000 };
const SEED_BATCH = 10_000;

const TYPES = FILTER_TYPES;
/** The newest event's time; the relative filters below count back from it. */
const now = Date.now();
function pending(i: number, at: number): PendingAuditEvent {
  return {
    eventId: randomUUID(),
    at: new Date(at).toISOString(),
    type: TYPES[i % TYPES.length],
    severity: i % 97 === 0 ? 'critical' : i % 13 === 0 ? 'warning' : 'info',
    actor: i % 3 === 0 ? 'system' : `user:op${i % 17}`,
    action: `action ${i % 50}`,
    module: `module-${i % 20}`,
    resource: null,
    reason: i % 10 === 0 ? `reason ${i % 31}` : null,
    method: 'probe',
    source: `203.0.113.${i % 250}`,
    details: { i, latencyMs: i % 900, ok: i % 11 !== 0 },
  };
}

async function seedSqlite(url: string): Promise<number> {
  const t0 = monoMs();
  await applyMigrations(url);
  const database = await openDatabase({ url });
  const raw = database.sqlite!;
  const insertMany = sqliteBulkInserter(raw);
  let head = { seq: 0, hash: GENESIS_HASH };
  const start = now - SPAN_MS;
  const step = SPAN_MS / EVENTS;
  for (let done = 0; done < EVENTS; done += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, EVENTS - done);
    const linked = linkEvents(
      head,
      Array.from({ length: n }, (_, k) => pending(done + k, start + (done + k) * step)),
    );
    insertMany(linked);
    head = linked[linked.length - 1];
  }
  raw.pragma('synchronous = FULL');
  await database.close();
  return monoMs() - t0;
}

const HOUR = 3_600_000;
const CASES: Array<[string, AuditSearchFilters]> = [
  ['no filter', {}],
  ['type', { types: ['threat.detected'] }],
  ['two types', { types: ['threat.detected', 'auth.login'] }],
  ['severity critical', { severities: ['critical'] }],
  ['severity warning+critical', { severities: ['warning', 'critical'] }],
  ['module', { module: 'module-7' }],
  ['last 1 h', { from: new Date(now - HOUR) }],
  ['last 24 h', { from: new Date(now - 24 * HOUR) }],
  ['a past day (15 d ago)', { from: new Date(now - 15 * 24 * HOUR), to: new Date(now - 14 * 24 * HOUR) }],
  ['type + severity', { types: ['threat.detected'], severities: ['critical'] }],
  ['module + severity', { module: 'module-7', severities: ['warning'] }],
  ['type + last 24 h', { types: ['auth.login'], from: new Date(now - 24 * HOUR) }],
  ['type + past day', { types: ['auth.login'], from: new Date(now - 15 * 24 * HOUR), to: new Date(now - 14 * 24 * HOUR) }],
  ['severity + module + 7 d', { severities: ['critical'], module: 'module-3', from: new Date(now - 7 * 24 * HOUR) }],
];

async function timeQuery(database: Database, filters: AuditSearchFilters): Promise<number> {
  const t0 = monoMs();
  await searchAuditEvents(database, filters, { limit: 50 });
  return monoMs() - t0;
}

async function measureFilters(url: string) {
  const rows: Array<{ filter: string; coldMs: number; warm: ReturnType<typeof roundDist>; pass: boolean }> = [];
  for (const [name, filters] of CASES) {
    const cold = await openDatabase({ url });
    const coldMs = await timeQuery(cold, filters);
    await cold.close();
    const database = await openDatabase({ url });
    await timeQuery(database, filters);
    const warm: number[] = [];
    for (let i = 0; i < WARM; i++) warm.push(await timeQuery(database, filters));
    await database.close();
    const dist = roundDist(distribution(warm));
    rows.push({ filter: name, coldMs: round(coldMs), warm: dist, pass: dist.p95 <= TARGET.p95Ms && coldMs <= TARGET.p95Ms });
  }
  return rows;
}

async function measureExport(url: string) {
  const database = await openDatabase({ url });
  addCleanup(() => database.close());
  const out = createWriteStream('/dev/null');
  const t0 = monoMs();
  let count = 0;
  let buffer = '';
  for await (const event of streamAuditEvents(database, {})) {
    buffer += ndjsonLine(event);
    count++;
    if (buffer.length > 64 * 1024) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.end(buffer);
  const elapsedMs = monoMs() - t0;
  await database.close();
  return {
    events: count,
    elapsedMs: round(elapsedMs),
    eventsPerSecond: Math.round(count / (elapsedMs / 1000)),
    rssMb: round(process.memoryUsage().rss / 1e6, 0),
  };
}

async function seedSqliteInTemp(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-filter-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const url = `file:${path.join(dir, 'filter.db')}`;
  await seedSqlite(url);
  return url;
}

async function seedPostgres(): Promise<string> {
  const fixture = await seedPostgresFilterFixture(PG_ADMIN_URL, `vigil_bench_filter_${process.pid}`, EVENTS, SPAN_MS, now, (line) => console.log(line));
  addCleanup(fixture.drop);
  return fixture.url;
}

runBenchmark({
  name: 'audit-filter',
  hardLimitMs: POSTGRES ? 1_500_000 : 240_000,
  async main() {
    const t0 = monoMs();
    const url = POSTGRES ? await seedPostgres() : await seedSqliteInTemp();
    const seedMs = monoMs() - t0;
    console.log(
      `seeded ${fmtInt(EVENTS)} events in ${round(seedMs / 1000, 1)} s${POSTGRES ? ' (filler hashes that do not chain: enough for filtering, not for verification)' : ''}`,
    );
    const filters = await measureFilters(url);
    console.log(
      table(
        ['filter', 'cold ms', 'warm p50', 'warm p95', ''],
        filters.map((r) => [r.filter, r.coldMs, r.warm.p50, r.warm.p95, verdict(r.pass)]),
      ),
    );
    const exported = EXPORT ? await measureExport(url) : null;
    if (exported)
      console.log(
        `export: ${fmtInt(exported.events)} events in ${round(exported.elapsedMs / 1000, 1)} s = ${fmtInt(exported.eventsPerSecond)} events/s (rss ${exported.rssMb} MB) ${verdict(exported.eventsPerSecond >= TARGET.exportPerSecond)}`,
      );
    const pass = filters.every((r) => r.pass) && (!exported || exported.eventsPerSecond >= TARGET.exportPerSecond);
    const backend = POSTGRES ? 'postgresql' : 'sqlite';
    writeResult(POSTGRES ? 'audit-filter-postgres' : 'audit-filter', {
      machine: machineInfo(),
      backend,
      events: EVENTS,
      seedMs: round(seedMs),
      warmRepetitions: WARM,
      target: TARGET,
      filters,
      export: exported,
      pass,
    });
    await runCleanups();
    if (!pass) process.exitCode = 1;
  },
});
