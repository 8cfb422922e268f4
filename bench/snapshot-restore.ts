// Golden recovery speed: restore throughput for large and for small files (every byte
// SHA-256-verified on the way), a golden restore of 1 GB in 10,000 files, and a second
// snapshot of an unchanged tree against the first. The code measured is RecoveryService,
// what the worker and the `vigil` CLI run.
//
//   npx tsx bench/snapshot-restore.ts [--large-mb 1024] [--small-files 10000] [--golden-files 10000] [--golden-mb 1024]
//
// Restores go into an empty --target directory, so every file is copied, verified, fsynced
// and renamed into place. The page cache is warm (the tree was just written): these are
// the engine's numbers, with the disk's fsync cost included.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { snapshotsConfigSchema } from '@/lib/config/config-schema';
import { RecoveryService } from '@/server/recovery';
import { fmtInt, intArg, machineInfo, monoMs, parseArgs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const LARGE_MB = intArg(args, 'large-mb', 1024);
const SMALL_FILES = intArg(args, 'small-files', 10_000);
const GOLDEN_FILES = intArg(args, 'golden-files', 10_000);
const GOLDEN_MB = intArg(args, 'golden-mb', 1024);
const MB = 1 << 20;

/** Distinct random content per file, so nothing deduplicates and every byte is real work. */
function writeFiles(root: string, count: number, bytesEach: number): void {
  const block = randomBytes(Math.min(bytesEach, 8 * MB));
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `d${i % 100}`);
    mkdirSync(dir, { recursive: true });
    const head = Buffer.from(`${i}:`.padEnd(16, '.'));
    const chunks = [head];
    for (let left = bytesEach - head.length; left > 0; left -= block.length) chunks.push(block.subarray(0, Math.min(left, block.length)));
    writeFileSync(path.join(dir, `f${i}.bin`), Buffer.concat(chunks));
  }
}

function service(dataDir: string, source: string): RecoveryService {
  const config = snapshotsConfigSchema.parse({ includeVigilState: false, sources: [{ name: 'src', path: source }] });
  return new RecoveryService({ dataDir, config: () => config, state: null, audit: null, searchPath: '/usr/bin:/bin' });
}

interface Case {
  name: string;
  files: number;
  bytes: number;
  restoreMs: number;
  mbPerSecond: number;
  filesPerSecond: number;
  target: string;
  pass: boolean;
}

async function restoreCase(
  dir: string,
  name: string,
  count: number,
  bytesEach: number,
  target: (c: Omit<Case, 'target' | 'pass'>) => { label: string; pass: boolean },
): Promise<Case & { snapshotMs: number; secondSnapshotMs: number }> {
  const source = path.join(dir, `${name}-src`);
  writeFiles(source, count, bytesEach);
  const recovery = service(path.join(dir, `${name}-data`), source);
  let t = monoMs();
  await recovery.create({ name: 'first', tags: ['golden'], actor: 'bench' });
  const snapshotMs = monoMs() - t;
  t = monoMs();
  await recovery.create({ name: 'second', tags: ['golden'], actor: 'bench' });
  const secondSnapshotMs = monoMs() - t;
  t = monoMs();
  const result = await recovery.restore({
    ref: 'first',
    targetDir: path.join(dir, `${name}-out`),
    mirror: false,
    dryRun: false,
    actor: 'bench',
    reason: 'benchmark',
  });
  const restoreMs = monoMs() - t;
  if (result.outcome !== 'restored' || result.filesWritten !== count)
    throw new Error(`${name}: restore ended ${result.outcome} with ${result.filesWritten} files`);
  const bytes = count * bytesEach;
  const measured = {
    name,
    files: count,
    bytes,
    restoreMs: round(restoreMs, 0),
    mbPerSecond: round(bytes / MB / (restoreMs / 1000), 0),
    filesPerSecond: round(count / (restoreMs / 1000), 0),
  };
  const verdictFor = target(measured);
  rmSync(path.join(dir, `${name}-out`), { recursive: true, force: true });
  rmSync(source, { recursive: true, force: true });
  rmSync(path.join(dir, `${name}-data`), { recursive: true, force: true });
  return { ...measured, target: verdictFor.label, pass: verdictFor.pass, snapshotMs: round(snapshotMs, 0), secondSnapshotMs: round(secondSnapshotMs, 0) };
}

runBenchmark({
  name: 'snapshot-restore',
  hardLimitMs: 900_000,
  async main() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-restore-'));
    addCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const large = await restoreCase(dir, 'large', Math.max(1, LARGE_MB / 256), 256 * MB, (c) => ({ label: '≥ 500 MB/s', pass: c.mbPerSecond >= 500 }));
    const small = await restoreCase(dir, 'small', SMALL_FILES, 4096, (c) => ({ label: '≥ 2,000 files/s', pass: c.filesPerSecond >= 2000 }));
    const golden = await restoreCase(dir, 'golden', GOLDEN_FILES, Math.round((GOLDEN_MB * MB) / GOLDEN_FILES), (c) => ({
      label: '< 10 s',
      pass: c.restoreMs < 10_000,
    }));
    const cases = [large, small, golden];
    await runCleanups();
    console.log(
      table(
        ['case', 'files', 'MB', 'restore s', 'MB/s', 'files/s', 'target', ''],
        cases.map((c) => [
          c.name,
          fmtInt(c.files),
          fmtInt(c.bytes / MB),
          round(c.restoreMs / 1000, 2),
          fmtInt(c.mbPerSecond),
          fmtInt(c.filesPerSecond),
          c.target,
          verdict(c.pass),
        ]),
      ),
    );
    const second = cases.map((c) => ({
      name: c.name,
      firstMs: c.snapshotMs,
      secondMs: c.secondSnapshotMs,
      speedup: round(c.snapshotMs / Math.max(1, c.secondSnapshotMs), 1),
    }));
    console.log(
      table(
        ['tree', 'first snapshot s', 'second (unchanged) s', 'speed-up', 'target', ''],
        second.map((s) => [s.name, round(s.firstMs / 1000, 2), round(s.secondMs / 1000, 2), `${s.speedup}x`, '≥ 5x', verdict(s.speedup >= 5)]),
      ),
    );
    const file = writeResult('snapshot-restore', { machineInfo: machineInfo(), cases, second });
    console.log(`results: ${file}`);
    if (cases.some((c) => !c.pass) || second.some((s) => s.speedup < 5)) process.exitCode = 1;
  },
});
