// Storage per module per day: what the healing engine keeps (roll-ups and state changes, not probes).
//
//   npx tsx bench/healing-storage.ts [--modules 40] [--flapping 10] [--seconds 60]
//
// A real HealingEngine over SQLite probes `--modules` loopback HTTP targets every second; the
// first `--flapping` of them fail for a few seconds every 15 s (each failure: down → incident →
// restart hook → verified → resolved), the rest stay up. Audit events go through the real
// AuditWriter into the same file. Afterwards SQLite's dbstat gives the bytes of each table with
// its indexes; divided by its rows that is the cost per roll-up row, per state change and per
// incident (with its steps and audit events), from which bytes per module per day follow.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Sqlite from 'better-sqlite3';
import { moduleSchema } from '@/lib/healing/module-schema';
import { fmtInt, intArg, machineInfo, parseArgs, table, writeResult } from './lib/common';
import { startBenchEngine } from './lib/bench-engine';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const MODULES = intArg(args, 'modules', 40);
const FLAPPING = intArg(args, 'flapping', 10);
const SECONDS = intArg(args, 'seconds', 60);
const TABLES = ['ModuleDailyStat', 'ModuleStateChange', 'Incident', 'IncidentStep', 'AuditEvent'] as const;

/** Bytes (pages of the table and of its indexes) and rows per table. */
function tableCosts(file: string): Record<(typeof TABLES)[number], { bytes: number; rows: number }> {
  const db = new Sqlite(file, { readonly: true });
  try {
    const owners = new Map(
      (db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").all() as { name: string; tbl_name: string }[]).map((r) => [
        r.name,
        r.tbl_name,
      ]),
    );
    const bytes = new Map<string, number>();
    for (const row of db.prepare('SELECT name, SUM(pgsize - unused) AS used FROM dbstat GROUP BY name').all() as { name: string; used: number }[]) {
      const owner = owners.get(row.name) ?? row.name;
      bytes.set(owner, (bytes.get(owner) ?? 0) + row.used);
    }
    return Object.fromEntries(
      TABLES.map((t) => [t, { bytes: bytes.get(t) ?? 0, rows: (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n }]),
    ) as ReturnType<typeof tableCosts>;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`healing-storage: ${MODULES} modules (${FLAPPING} flapping) probed every 1 s for ${SECONDS} s; load ${machine.loadAverage.join(' ')}`);
  const failing = new Set<number>();
  const server = http.createServer((req, res) => {
    const [, kind, id] = req.url!.split('/');
    if (kind === 'restart') failing.delete(Number(id));
    res.writeHead(kind === 'target' && failing.has(Number(id)) ? 503 : 200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  addCleanup(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-storage-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const modules = Array.from({ length: MODULES }, (_, i) =>
    moduleSchema.parse({
      name: `module-${i}`,
      kind: 'http',
      url: `${base}/target/${i}`,
      intervalSeconds: 1,
      timeoutSeconds: 1,
      restart: { http: `${base}/restart/${i}` },
    }),
  );
  const bench = await startBenchEngine({ dir, modules: () => modules, audited: true });
  const closeEngine = addCleanup(() => bench.close());
  // Each flapping module breaks every 15 s, staggered; its restart hook mends it.
  const flap = setInterval(() => {
    const slot = Math.floor(Date.now() / 1000) % 15;
    for (let i = 0; i < FLAPPING; i++) if (i % 15 === slot) failing.add(i);
  }, 1000);
  addCleanup(() => clearInterval(flap));
  await sleep(SECONDS * 1000);
  clearInterval(flap);
  await sleep(3000);
  closeEngine();
  await bench.close();
  const costs = tableCosts(bench.file);
  const per = (t: (typeof TABLES)[number]) => (costs[t].rows === 0 ? 0 : costs[t].bytes / costs[t].rows);
  const incidents = costs.Incident.rows;
  const stateChanges = costs.ModuleStateChange.rows;
  const auditStateChanges = stateChanges - MODULES; // pending → up at start is stored but not audited
  const auditPerIncident = (costs.AuditEvent.rows - Math.max(0, auditStateChanges)) / Math.max(1, incidents);
  const bytes = {
    rollupPerModuleDay: Math.round(per('ModuleDailyStat')),
    perStateChange: Math.round(per('ModuleStateChange') + per('AuditEvent')),
    perIncident: Math.round(per('Incident') + (costs.IncidentStep.rows / Math.max(1, incidents)) * per('IncidentStep') + auditPerIncident * per('AuditEvent')),
    perProbeIfStored: Math.round(per('ModuleStateChange')),
  };
  const day = (changes: number, incidentsPerDay: number) => bytes.rollupPerModuleDay + changes * bytes.perStateChange + incidentsPerDay * bytes.perIncident;
  const examples = {
    steady: day(0, 0),
    oneIncidentPerDay: day(2, 1),
    tenIncidentsPerDay: day(20, 10),
    everyProbeAt20s: 4320 * bytes.perProbeIfStored,
  };
  console.log(
    table(
      ['table', 'rows', 'bytes (with indexes)', 'bytes/row'],
      TABLES.map((t) => [t, fmtInt(costs[t].rows), fmtInt(costs[t].bytes), fmtInt(per(t))]),
    ),
  );
  console.log(
    `\nper roll-up row (module-day) ${bytes.rollupPerModuleDay} B; per state change (row + audit event) ${bytes.perStateChange} B; per incident (row, ${(costs.IncidentStep.rows / Math.max(1, incidents)).toFixed(1)} steps, ${auditPerIncident.toFixed(1)} audit events) ${fmtInt(bytes.perIncident)} B`,
  );
  console.log(
    table(
      ['module per day', 'bytes'],
      [
        ['steady (no failure)', fmtInt(examples.steady)],
        ['1 incident a day (2 state changes)', fmtInt(examples.oneIncidentPerDay)],
        ['10 incidents a day', fmtInt(examples.tenIncidentsPerDay)],
        ['(for comparison) every probe stored, 20 s interval', fmtInt(examples.everyProbeAt20s)],
      ],
    ),
  );
  const summaryRows = [
    ['healing-storage', 'bytes per module per day, steady', `${fmtInt(examples.steady)} B`, '(reported)', ''],
    ['', '… with 1 incident a day / 10 a day', `${fmtInt(examples.oneIncidentPerDay)} / ${fmtInt(examples.tenIncidentsPerDay)} B`, '(reported)', ''],
  ];
  writeResult('healing-storage', {
    summaryRows,
    modules: MODULES,
    flapping: FLAPPING,
    seconds: SECONDS,
    costs,
    bytes,
    examples,
    loadAfter: machineInfo().loadAverage,
  });
  await runCleanups();
}

runBenchmark({ name: 'healing-storage', hardLimitMs: (SECONDS + 60) * 1000, main });
