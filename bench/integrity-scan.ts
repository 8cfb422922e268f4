// File integrity: full scans of a 10,000-file tree and the realtime path.
//
//   npx tsx bench/integrity-scan.ts [--files 10000] [--max-kib 32] [--runs 3]
//
// Builds a tree of --files files (100 per directory, random content, sizes uniform in
// 0..--max-kib KiB) in a temp dir, then measures with the production code:
//   1. the first start of FileIntegrity: walk + SHA-256 of every file + baseline written
//      atomically + the audit event (real AuditWriter on SQLite, fsync per commit);
//   2. full re-scans (walk + hash everything again, compare, nothing changed), --runs times;
//   3. a full scan after 100 files changed: 100 findings audited as individual events;
//   4. realtime: one file rewritten → its finding delivered (fs.watch, default 500 ms debounce).
// The page cache is warm (the tree was just written): this is hashing and bookkeeping speed,
// not disk speed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { integrityConfigSchema } from '../lib/config/integrity-config';
import type { IntegrityFinding } from '../lib/integrity/integrity-status';
import { AuditWriter } from '../server/audit';
import { FileIntegrity } from '../server/integrity';
import { createMigratedDatabase } from '../server/test-support/databases';
import { silentLogger } from '../server/test-support/log';
import { distribution, fmtInt, intArg, machineInfo, monoMs, round, roundDist, table, writeResult, parseArgs } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const FILES = intArg(args, 'files', 10_000);
const MAX_KIB = intArg(args, 'max-kib', 32);
const RUNS = intArg(args, 'runs', 3);

function buildTree(root: string): number {
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(root, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    const size = Math.floor(Math.random() * MAX_KIB * 1024);
    writeFileSync(path.join(dir, `f${i}.bin`), randomBytes(size));
    bytes += size;
  }
  return bytes;
}

async function main(): Promise<void> {
  const m = machineInfo();
  console.log(`integrity-scan: ${fmtInt(FILES)} files; machine: ${m.cpus} CPU (${m.cpuModel}), node ${m.node}, load ${m.loadAverage.join(' ')}`);
  const db = await createMigratedDatabase('sqlite');
  addCleanup(() => db.destroy());
  const tree = db.dir.join('tree');
  const treeBytes = buildTree(tree);
  const audit = new AuditWriter({ database: db.database, spoolFile: db.dir.join('spool.ndjson'), log: silentLogger() });
  await audit.start();
  addCleanup(() => audit.close());
  const findings: { finding: IntegrityFinding; at: number }[] = [];
  const config = integrityConfigSchema.parse({ paths: [{ path: tree }], realtime: true });
  const monitor = new FileIntegrity({
    dataDir: db.dir.join('data'),
    config: () => config,
    self: null,
    audit,
    log: silentLogger(),
    onFinding: (finding) => findings.push({ finding, at: monoMs() }),
  });
  addCleanup(() => monitor.stop());

  const mb = treeBytes / 1e6;
  const rate = (ms: number) => ({ ms: Math.round(ms), filesPerSecond: Math.round(FILES / (ms / 1000)), mbPerSecond: round(mb / (ms / 1000), 1) });
  let t0 = monoMs();
  await monitor.start();
  const first = rate(monoMs() - t0);
  const rescans = [];
  for (let i = 0; i < RUNS; i++) {
    t0 = monoMs();
    await monitor.scan();
    rescans.push(rate(monoMs() - t0));
  }
  await monitor.stop();
  // Changed while nobody watched: only the scheduled scan can see these.
  for (let i = 0; i < 100; i++) writeFileSync(path.join(tree, `d${i}`, `f${i * 100}.bin`), randomBytes(64));
  const scanner = new FileIntegrity({
    dataDir: db.dir.join('data'),
    config: () => config,
    self: null,
    audit,
    log: silentLogger(),
    onFinding: (finding) => findings.push({ finding, at: monoMs() }),
  });
  addCleanup(() => scanner.stop());
  t0 = monoMs();
  await scanner.start();
  const withChanges = { ...rate(monoMs() - t0), findings: findings.length };

  const realtime: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = findings.length;
    const wrote = monoMs();
    writeFileSync(path.join(tree, 'd50', `f${5000 + i}.bin`), randomBytes(128));
    while (findings.length === before && monoMs() - wrote < 10_000) await new Promise((resolve) => setTimeout(resolve, 1));
    realtime.push(findings[findings.length - 1].at - wrote);
  }
  const status = scanner.status();
  await runCleanups();

  console.log(
    table(
      ['phase', 'time', 'files/s', 'MB/s'],
      [
        ['first start (hash all + baseline + audit)', `${fmtInt(first.ms)} ms`, fmtInt(first.filesPerSecond), first.mbPerSecond],
        ...rescans.map((r, i) => [`full re-scan #${i + 1} (no change)`, `${fmtInt(r.ms)} ms`, fmtInt(r.filesPerSecond), r.mbPerSecond]),
        [
          `restart + scan with 100 changed files (${withChanges.findings} findings audited)`,
          `${fmtInt(withChanges.ms)} ms`,
          fmtInt(withChanges.filesPerSecond),
          withChanges.mbPerSecond,
        ],
      ],
    ),
  );
  const rt = roundDist(distribution(realtime), 1);
  console.log(
    `tree: ${fmtInt(FILES)} files, ${round(mb, 1)} MB; realtime (write → finding, 500 ms debounce, ${status.realtime.directories} dirs watched): p50 ${rt.p50} ms, max ${rt.max} ms`,
  );
  writeResult('integrity-scan', {
    machine: m,
    files: FILES,
    treeMB: round(mb, 1),
    first,
    rescans,
    withChanges,
    realtimeMs: rt,
    watchedDirectories: status.realtime.directories,
  });
}

runBenchmark({ name: 'integrity-scan', hardLimitMs: 115_000, main });
