// Vigil's local snapshot store against restic, side by side on the same generated trees in one
// run, each run as a user types it: `npx vigil snapshot create --name N --path P` (twice, the
// second time on the unchanged tree) and `npx vigil snapshot restore N --target DIR`, against
// `restic backup P` (twice) and `restic restore latest --target DIR` followed by `sync`.
//
//   npx tsx bench/snapshot-vs-restic.ts [--runs 3] [--trees mixed,gib] [--mixed-runs N] [--gib-runs N]
//
// Trees (distinct random bytes, so nothing deduplicates or compresses):
//   mixed  5,000 × 40 KiB + 4 × 64 MiB = 452 MB, 5,004 files
//   gib    1 GiB in 10,000 files of 107,374 bytes
// Equal durability: Vigil fsyncs every file and directory before it reports success; restic
// does not, so its restore is timed with a `sync` after it. An untimed `sync` precedes every
// timed step, so no step pays for the writeback of the tree just generated or of the step or
// tool before it. CPU time (user + system of the command and everything it started, from this
// process's children's times) is reported beside the wall clock: steadier under load. Both start from a fresh repository
// or data directory in every run (restic's `init` and Vigil's first database migration are
// left out of the timing); the page cache is warm for both alike (the tree was just written).
// Runs alternate which tool goes first, so load drifts hit both; medians are reported, and
// beside them each tool's fastest run: on a virtual machine the same step's CPU time has been
// seen to double or triple from one run to the next for both tools alike (the host backing the
// guest's page cache again after memory was freed), and the fastest run is the least disturbed.
// Target: Vigil's time ≤ restic's for each step (ratio Vigil / restic ≤ 1).
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, distribution, fmtInt, intArg, machineInfo, monoMs, parseArgs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { cleanEnv } from './lib/worker-process';

const args = parseArgs();
const RUNS = intArg(args, 'runs', 3);
const TREES = (args.get('trees') ?? 'mixed,gib').split(',');
const KiB = 1024;
const MiB = 1024 * KiB;

interface TreeSpec {
  name: string;
  label: string;
  groups: { count: number; bytes: number }[];
}

const TREE_SPECS: Record<string, TreeSpec> = {
  mixed: {
    name: 'mixed',
    label: '5,000 × 40 KiB + 4 × 64 MiB (452 MB)',
    groups: [
      { count: 5000, bytes: 40 * KiB },
      { count: 4, bytes: 64 * MiB },
    ],
  },
  gib: { name: 'gib', label: '1 GiB in 10,000 files', groups: [{ count: 10_000, bytes: Math.round(1024 ** 3 / 10_000) }] },
};

const STEPS = ['create', 'unchanged', 'restore'] as const;
type Step = (typeof STEPS)[number];
const STEP_LABEL: Record<Step, string> = { create: 'first snapshot', unchanged: 'second snapshot, tree unchanged', restore: 'restore into an empty directory' };

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

/**
 * Random bytes, drawn afresh for every file. Slices of one shared pool would overlap, and
 * restic's content-defined chunking would then store the shared stretches of the big files once
 * (a 452 MB tree became a 270 MB repository): a tree that is partly a copy of itself, not the
 * random tree being compared.
 */
function writeTree(root: string, spec: TreeSpec): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const [g, group] of spec.groups.entries()) {
    const content = Buffer.allocUnsafe(group.bytes);
    for (let i = 0; i < group.count; i++) {
      const dir = path.join(root, `g${g}`, `d${i % 50}`);
      mkdirSync(dir, { recursive: true });
      randomFillSync(content);
      writeFileSync(path.join(dir, `f${i}.bin`), content);
      files += 1;
      bytes += group.bytes;
    }
  }
  return { files, bytes };
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** utime + stime of this process's waited-for children (fields 16 and 17 of /proc/self/stat), in 10 ms steps. */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, argv, { cwd: REPO_ROOT, env, encoding: 'utf8', maxBuffer: 64 * MiB });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
}

/** Runs the commands one after the other, after an untimed `sync`; wall clock and CPU of them all. */
function timed(env: NodeJS.ProcessEnv, ...commands: [string, string[]][]): Timing {
  run('sync', [], env);
  const cpuBefore = childrenCpuMs();
  const started = monoMs();
  for (const [command, argv] of commands) run(command, argv, env);
  return { wallMs: monoMs() - started, cpuMs: childrenCpuMs() - cpuBefore };
}

function resticRun(work: string, source: string, env: NodeJS.ProcessEnv): Record<Step, Timing> {
  const repo = path.join(work, 'restic-repo');
  const target = path.join(work, 'restic-out');
  const withRepo = { ...env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: path.join(work, 'restic-cache') };
  run('restic', ['init', '-q'], withRepo);
  const create = timed(withRepo, ['restic', ['backup', '-q', source]]);
  const unchanged = timed(withRepo, ['restic', ['backup', '-q', source]]);
  const restore = timed(withRepo, ['restic', ['restore', '-q', 'latest', '--target', target]], ['sync', []]);
  return { create, unchanged, restore };
}

function vigilRun(work: string, source: string, env: NodeJS.ProcessEnv): Record<Step, Timing> {
  const dataDir = path.join(work, 'vigil-data');
  const target = path.join(work, 'vigil-out');
  const empty = path.join(work, 'vigil-empty');
  mkdirSync(empty, { recursive: true });
  const withData = { ...env, VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: path.join(dataDir, 'vigil.config.yaml') };
  const vigil = (...argv: string[]) => timed(withData, ['npx', ['vigil', ...argv]]);
  // A data directory in use: the database exists and is migrated, as restic's repository is initialised.
  run('npx', ['vigil', 'snapshot', 'create', '--name', 'setup', '--path', empty], withData);
  const create = vigil('snapshot', 'create', '--name', 'first', '--path', source);
  const unchanged = vigil('snapshot', 'create', '--name', 'second', '--path', source);
  const restore = vigil('snapshot', 'restore', 'first', '--target', target);
  return { create, unchanged, restore };
}

interface TreeResult {
  tree: string;
  label: string;
  files: number;
  bytes: number;
  runs: { first: 'restic' | 'vigil'; loadavg: string; restic: Record<Step, Timing>; vigil: Record<Step, Timing> }[];
  medians: {
    step: Step;
    resticMs: number;
    vigilMs: number;
    ratio: number;
    pass: boolean;
    resticCpuMs: number;
    vigilCpuMs: number;
    cpuRatio: number;
    bestResticMs: number;
    bestVigilMs: number;
    bestRatio: number;
  }[];
}

const median = (values: number[]) => distribution(values).p50;

function runTree(dir: string, spec: TreeSpec, env: NodeJS.ProcessEnv): TreeResult {
  const source = path.join(dir, `${spec.name}-src`);
  const { files, bytes } = writeTree(source, spec);
  console.log(`${spec.name}: ${fmtInt(files)} files, ${fmtInt(bytes / 1e6)} MB written; loadavg ${loadavg()}`);
  const runs: TreeResult['runs'] = [];
  // Every run's repositories and restored trees are removed only after the last run: on ext4
  // without a journal (this machine's root filesystem) each new inode is searched past every
  // inode freed in the last seconds, so removing one tool's 5,000–10,000 files right before the
  // other's steps charged the other tool about half a millisecond of CPU per file it created.
  const works: string[] = [];
  for (let run = 0; run < intArg(args, `${spec.name}-runs`, RUNS); run++) {
    const work = mkdtempSync(path.join(dir, `${spec.name}-run-`));
    works.push(work);
    const first = run % 2 === 0 ? 'restic' : 'vigil';
    const results =
      first === 'restic'
        ? { restic: resticRun(work, source, env), vigil: vigilRun(work, source, env) }
        : { vigil: vigilRun(work, source, env), restic: resticRun(work, source, env) };
    runs.push({ first, loadavg: loadavg(), restic: results.restic, vigil: results.vigil });
    const show = (r: Record<Step, Timing>) => STEPS.map((s) => `${round(r[s].wallMs / 1000, 2)} (${round(r[s].cpuMs / 1000, 2)})`).join(' / ');
    console.log(`  run ${run + 1} (${first} first), wall (CPU) s: restic ${show(results.restic)}, vigil ${show(results.vigil)}; loadavg ${loadavg()}`);
  }
  for (const work of works) rmSync(work, { recursive: true, force: true });
  rmSync(source, { recursive: true, force: true });
  const medians = STEPS.map((step) => {
    const resticMs = median(runs.map((r) => r.restic[step].wallMs));
    const vigilMs = median(runs.map((r) => r.vigil[step].wallMs));
    const resticCpuMs = median(runs.map((r) => r.restic[step].cpuMs));
    const vigilCpuMs = median(runs.map((r) => r.vigil[step].cpuMs));
    // The fastest run of each: the one least disturbed by the machine (see the header).
    const bestResticMs = Math.min(...runs.map((r) => r.restic[step].wallMs));
    const bestVigilMs = Math.min(...runs.map((r) => r.vigil[step].wallMs));
    return {
      step,
      resticMs: round(resticMs, 0),
      vigilMs: round(vigilMs, 0),
      ratio: round(vigilMs / resticMs, 2),
      pass: vigilMs <= resticMs,
      resticCpuMs,
      vigilCpuMs,
      cpuRatio: round(vigilCpuMs / resticCpuMs, 2),
      bestResticMs: round(bestResticMs, 0),
      bestVigilMs: round(bestVigilMs, 0),
      bestRatio: round(bestVigilMs / bestResticMs, 2),
    };
  });
  return { tree: spec.name, label: spec.label, files, bytes, runs, medians };
}

runBenchmark({
  name: 'snapshot-vs-restic',
  hardLimitMs: 3_600_000,
  async main() {
    const restic = spawnSync('restic', ['version'], { encoding: 'utf8' });
    if (restic.status !== 0) throw new Error('restic is not installed (Debian package restic): nothing to compare against');
    const unknown = TREES.filter((tree) => !TREE_SPECS[tree]);
    if (unknown.length > 0) throw new Error(`--trees: unknown ${unknown.join(', ')} (known: ${Object.keys(TREE_SPECS).join(', ')})`);
    console.log(`snapshot-vs-restic: ${RUNS} runs per tree, ${restic.stdout.trim()}; loadavg before ${loadavg()}`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-vs-restic-'));
    addCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const env = cleanEnv({ WORKER_HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    // The compiled CLI is current before the first timed command (a rebuild is not start-up).
    run('npx', ['vigil', '--help'], env);
    const loadBefore = loadavg();
    const trees = TREES.map((tree) => runTree(dir, TREE_SPECS[tree], env));
    const loadAfter = loadavg();
    await runCleanups();
    for (const tree of trees) {
      console.log(`\n${tree.label}, medians of ${tree.runs.length} runs`);
      console.log(
        table(
          [
            'step',
            'restic 0.14 s',
            'vigil s',
            'vigil / restic',
            'target ≤ 1',
            'CPU restic s',
            'CPU vigil s',
            'CPU vigil / restic',
            'best restic / vigil s',
            'best ratio',
          ],
          tree.medians.map((m) => [
            STEP_LABEL[m.step],
            round(m.resticMs / 1000, 2),
            round(m.vigilMs / 1000, 2),
            m.ratio,
            verdict(m.pass),
            round(m.resticCpuMs / 1000, 2),
            round(m.vigilCpuMs / 1000, 2),
            m.cpuRatio,
            `${round(m.bestResticMs / 1000, 2)} / ${round(m.bestVigilMs / 1000, 2)}`,
            m.bestRatio,
          ]),
        ),
      );
    }
    console.log(`\nloadavg before ${loadBefore}, after ${loadAfter}`);
    const file = writeResult('snapshot-vs-restic', { machineInfo: machineInfo(), resticVersion: restic.stdout.trim(), loadBefore, loadAfter, trees });
    console.log(`results: ${file}`);
    if (trees.some((tree) => tree.medians.some((m) => !m.pass))) process.exitCode = 1;
  },
});
