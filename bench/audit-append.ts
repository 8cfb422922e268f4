// Chained audit appends through the production append path (AuditWriter, group commit),
// on SQLite (WAL, synchronous=FULL) and on PostgreSQL (a throwaway database).
//
//   npx tsx bench/audit-append.ts [--events 100000] [--producers 16] [--batch 50] [--only sqlite|postgres]
//                                 [--pg postgresql://postgres@127.0.0.1:5432/postgres]
//
// N producer loops each hand over a batch of events (as one ingest request would) and await
// every acknowledgement before the next one (closed loop), until the fixed count is reached;
// --batch 1 measures the worst case of single events. Throughput is measured from the first append to the
// last acknowledgement; an ack means the event is committed (receipts that say "spooled"
// are counted separately and fail the run). At the end the stored chain is re-verified
// with verifyStoredChain and the verification speed is reported.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { AuditWriter, verifyStoredChain } from '@/server/audit';
import { openDatabase, type Database } from '@/server/db/client';
import { applyMigrations } from '@/server/db/migrate';
import { createLogger } from '@/server/log';
import type { AuditEventInput } from '@/lib/audit/types';
import {
  REPO_ROOT,
  distribution,
  fmtInt,
  intArg,
  machineInfo,
  parseArgs,
  round,
  roundDist,
  table,
  verdict,
  writeResult,
  type Distribution,
} from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const TOTAL = intArg(args, 'events', 100_000);
const PRODUCERS = intArg(args, 'producers', 16);
/** Events each producer hands over at once, like one ingest request; 1 is the worst case (closed loop of single events). */
const BATCH = intArg(args, 'batch', 50);
const WARMUP = intArg(args, 'warmup', 2_000);
/** Hard cap on the measured phase of one backend, so a slow machine still finishes in time. */
const DEADLINE_MS = intArg(args, 'deadline-ms', 35_000);
const ONLY = args.get('only');
const PG_ADMIN_URL = args.get('pg') ?? process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MIGRATIONS = path.join(REPO_ROOT, 'prisma', 'migrations');
// Every agent's events land in the console's chain, so the fleet sets these.
const TARGET = { sqlite: 50_000, postgresql: 20_000 } as const;
const log = createLogger('bench', 'silent');

interface BackendResult {
  backend: 'sqlite' | 'postgresql';
  version: string;
  durability: Record<string, string>;
  durabilityNote: string;
  events: number;
  producers: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Process CPU (user + system) per acknowledged event, producers included: steadier than events/s on a loaded machine. */
  cpuMicrosPerEvent: number;
  /** PostgreSQL only: CPU of the server processes serving the bench's database, per event (background writers not included). */
  serverCpuMicrosPerEvent?: number;
  target: number;
  pass: boolean;
  truncatedByDeadline: boolean;
  spooled: number;
  commits: number;
  meanBatch: number;
  maxBatch: number;
  ackLatencyMs: Distribution;
  verify: { ok: boolean; verified: number; elapsedMs: number; eventsPerSecond: number };
}

let sequence = 0;
function makeEvent(producer: number): AuditEventInput {
  const i = sequence++;
  // Shaped like the events the guard and the ingest endpoint write.
  return {
    type: 'guard.request',
    severity: i % 50 === 0 ? 'warning' : 'info',
    actor: `source:203.0.113.${i % 250}`,
    action: 'request checked',
    module: 'guardian',
    resource: `/api/items/${i % 1000}`,
    reason: null,
    method: 'http',
    source: `203.0.113.${i % 250}`,
    details: { producer, i, status: 200, path: `/api/items/${i % 1000}`, userAgent: 'bench/1.0' },
  };
}

/** CPU (user + system, µs) so far of the PostgreSQL backends connected to one database, read from /proc. */
async function backendCpuMicros(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (utime, stime) after the parenthesised command name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // A backend that ended meanwhile.
    }
  }
  return (ticks / CLOCK_TICKS_PER_SECOND) * 1e6;
}
/** USER_HZ, 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

async function runAppends(database: Database, dataDir: string, backend: BackendResult['backend'], serverCpu?: () => Promise<number>) {
  let commits = 0;
  let maxBatch = 0;
  let committedEvents = 0;
  const writer = new AuditWriter({
    database,
    spoolFile: path.join(dataDir, 'audit-spool.ndjson'),
    log,
    onCommitted: (events) => {
      commits += 1;
      committedEvents += events.length;
      if (events.length > maxBatch) maxBatch = events.length;
    },
  });
  await writer.start();

  // Warm-up: JIT, prepared statements, connection pool. Not measured, but part of the verified chain.
  {
    let left = WARMUP;
    await Promise.all(
      Array.from({ length: PRODUCERS }, async (_, p) => {
        while (left > 0) {
          left -= 1;
          await writer.append(makeEvent(p));
        }
      }),
    );
  }
  commits = 0;
  maxBatch = 0;
  committedEvents = 0;

  const latencies = new Float64Array(TOTAL);
  let issued = 0;
  let acked = 0;
  let spooled = 0;
  let truncated = false;
  const serverCpuStart = await serverCpu?.();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const deadline = start + DEADLINE_MS;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async (_, p) => {
      while (issued < TOTAL) {
        if (performance.now() > deadline) {
          truncated = true;
          return;
        }
        const n = Math.min(BATCH, TOTAL - issued);
        issued += n;
        const t0 = performance.now();
        const receipts = await Promise.all(Array.from({ length: n }, () => writer.append(makeEvent(p))));
        const latency = performance.now() - t0;
        for (const receipt of receipts) {
          latencies[acked++] = latency;
          if (receipt.status !== 'committed') spooled += 1;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const serverCpuEnd = await serverCpu?.();
  await writer.close();

  const t0 = performance.now();
  const chain = await verifyStoredChain(database.prisma);
  const verifyMs = performance.now() - t0;

  const eventsPerSecond = (acked / elapsedMs) * 1000;
  return {
    events: acked,
    elapsedMs: round(elapsedMs, 1),
    eventsPerSecond: Math.round(eventsPerSecond),
    cpuMicrosPerEvent: round((cpu.user + cpu.system) / Math.max(1, acked), 2),
    ...(serverCpuStart !== undefined && serverCpuEnd !== undefined
      ? { serverCpuMicrosPerEvent: round((serverCpuEnd - serverCpuStart) / Math.max(1, acked), 2) }
      : {}),
    target: TARGET[backend],
    pass: !truncated && spooled === 0 && chain.ok && eventsPerSecond >= TARGET[backend],
    truncatedByDeadline: truncated,
    spooled,
    commits,
    meanBatch: round(committedEvents / Math.max(1, commits), 1),
    maxBatch,
    ackLatencyMs: roundDist(distribution(latencies.subarray(0, acked)), 3),
    verify: {
      ok: chain.ok,
      verified: chain.verified,
      elapsedMs: round(verifyMs, 1),
      eventsPerSecond: Math.round((chain.verified / verifyMs) * 1000),
    },
  };
}

async function benchSqlite(): Promise<BackendResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-audit-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const url = `file:${path.join(dir, 'vigil.db')}`;
  await applyMigrations(url, MIGRATIONS);
  const database = await openDatabase({ url });
  try {
    const q = async (sql: string) => Object.values(((await database.prisma.$queryRawUnsafe(sql)) as Array<Record<string, unknown>>)[0])[0];
    const version = String(await q('select sqlite_version()'));
    const journal = String(await q('PRAGMA journal_mode'));
    const syncLevel = Number(await q('PRAGMA synchronous'));
    const synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][syncLevel] ?? String(syncLevel);
    const r = await runAppends(database, dir, 'sqlite');
    return {
      backend: 'sqlite',
      version,
      durability: { journal_mode: journal, synchronous },
      durabilityNote:
        synchronous === 'FULL' || synchronous === 'EXTRA'
          ? `journal_mode=${journal}, synchronous=${synchronous}: every commit fsyncs the WAL before the append is acknowledged`
          : `journal_mode=${journal}, synchronous=${synchronous}: commits are NOT fsynced individually`,
      producers: PRODUCERS,
      ...r,
    };
  } finally {
    await database.close();
  }
}

async function benchPostgres(): Promise<BackendResult> {
  const name = `vigil_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  addCleanup(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-audit-pg-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const target = new URL(PG_ADMIN_URL);
  target.pathname = `/${name}`;
  const url = target.toString();
  await applyMigrations(url, MIGRATIONS);
  const database = await openDatabase({ url });
  try {
    const show = async (setting: string) => String((await admin.query(`SHOW ${setting}`)).rows[0][setting]);
    const version = String((await admin.query('SHOW server_version')).rows[0].server_version);
    const durability = {
      synchronous_commit: await show('synchronous_commit'),
      fsync: await show('fsync'),
      wal_sync_method: await show('wal_sync_method'),
      commit_delay: await show('commit_delay'),
    };
    const r = await runAppends(database, dir, 'postgresql', () => backendCpuMicros(admin, name));
    return {
      backend: 'postgresql',
      version,
      durability,
      durabilityNote:
        `synchronous_commit=${durability.synchronous_commit}, fsync=${durability.fsync} (${durability.wal_sync_method}): ` +
        (durability.synchronous_commit === 'off' || durability.fsync === 'off'
          ? 'commits are NOT flushed before the append is acknowledged'
          : 'every commit flushes the WAL before the append is acknowledged'),
      producers: PRODUCERS,
      ...r,
    };
  } finally {
    await database.close();
  }
}

function print(r: BackendResult): void {
  const l = r.ackLatencyMs;
  console.log(`\n${r.backend} ${r.version} — ${r.durabilityNote}`);
  console.log(
    table(
      ['metric', 'value'],
      [
        ['events (measured)', `${fmtInt(r.events)}${r.truncatedByDeadline ? ` (stopped at the ${DEADLINE_MS / 1000}s deadline)` : ''}`],
        ['producers (concurrent loops)', r.producers],
        ['elapsed, first append → last ack', `${fmtInt(r.elapsedMs)} ms`],
        ['throughput', `${fmtInt(r.eventsPerSecond)} events/s  (target ≥ ${fmtInt(r.target)}: ${verdict(r.pass)})`],
        ['CPU per event (process, producers included)', `${r.cpuMicrosPerEvent} µs`],
        ...(r.serverCpuMicrosPerEvent !== undefined ? [['CPU per event (PostgreSQL backends)', `${r.serverCpuMicrosPerEvent} µs`]] : []),
        ['transactions / mean batch / max batch', `${fmtInt(r.commits)} / ${r.meanBatch} / ${r.maxBatch}`],
        ['ack latency p50 / p99 / max', `${l.p50} / ${l.p99} / ${l.max} ms`],
        ['spooled instead of committed', r.spooled],
        [
          'chain verification',
          `${r.verify.ok ? 'ok' : 'BROKEN'}: ${fmtInt(r.verify.verified)} events in ${fmtInt(r.verify.elapsedMs)} ms = ${fmtInt(r.verify.eventsPerSecond)} events/s`,
        ],
      ],
    ),
  );
}

async function main(): Promise<void> {
  const m = machineInfo();
  console.log(
    `audit-append: ${fmtInt(TOTAL)} chained events from ${PRODUCERS} concurrent producers (batches of ${BATCH}) through AuditWriter (+${fmtInt(WARMUP)} warm-up)`,
  );
  console.log(`machine: ${m.cpus} CPU (${m.cpuModel}), ${m.memoryGiB} GiB, node ${m.node}, load ${m.loadAverage.join(' ')}`);
  const results: BackendResult[] = [];
  const errors: Record<string, string> = {};
  const backends: Array<[string, () => Promise<BackendResult>]> = [
    ['sqlite', benchSqlite],
    ['postgresql', benchPostgres],
  ];
  for (const [name, run] of backends) {
    if (ONLY && !name.startsWith(ONLY)) continue;
    sequence = 0;
    try {
      const r = await run();
      results.push(r);
      print(r);
    } catch (error) {
      errors[name] = (error as Error).message;
      console.error(`\n${name}: FAILED: ${(error as Error).stack ?? error}`);
    } finally {
      await runCleanups();
    }
  }
  const file = writeResult('audit-append', {
    config: { events: TOTAL, producers: PRODUCERS, batch: BATCH, warmup: WARMUP, deadlineMs: DEADLINE_MS },
    results,
    errors,
  });
  console.log(`\nresult: ${path.relative(process.cwd(), file)}`);
  if (Object.keys(errors).length > 0) process.exitCode = 1;
}

runBenchmark({ name: 'audit-append', hardLimitMs: 115_000, main });
