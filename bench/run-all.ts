// Runs every benchmark in sequence, each in its own process, and prints a summary table.
//
//   npm run bench                      (all)
//   npm run bench -- audit-append      (only the named ones)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, REPO_ROOT, RESULTS_DIR, fmtInt, machineInfo, table, verdict, writeResult } from './lib/common';

const BENCHMARKS = [
  'audit-append',
  'live-latency',
  'worker-idle-rss',
  'guard-check',
  'forecast-risk',
  'healing-crash-restart',
  'healing-http-2000',
  'healing-storage',
] as const;
type Name = (typeof BENCHMARKS)[number];
/** Each script bounds itself well under this; this only stops a hung one. */
const PER_SCRIPT_TIMEOUT_MS = 250_000;

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const w of wanted) {
  if (!(BENCHMARKS as readonly string[]).includes(w)) {
    console.error(`unknown benchmark "${w}"; known: ${BENCHMARKS.join(', ')}`);
    process.exit(2);
  }
}
const selected = BENCHMARKS.filter((b) => wanted.length === 0 || wanted.includes(b));

interface Run {
  name: Name;
  exitCode: number | null;
  seconds: number;
  result: ResultFile | null;
}

/** The parts of the scripts' JSON files that the summary reads. */
interface Dist {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
interface ResultFile {
  finishedAt: string;
  /** Rows a script formats itself (the healing benchmarks): [benchmark, metric, result, target, verdict]. */
  summaryRows?: string[][];
  errors?: Record<string, string>;
  results?: Array<{
    backend?: string;
    producers?: number;
    eventsPerSecond?: number;
    target?: number;
    pass: boolean;
    ackLatencyMs?: Dist;
    verify?: { ok: boolean; eventsPerSecond: number };
    durability?: Record<string, string>;
    mode?: string;
    clients?: number;
    latencyMs?: Dist;
    lost?: number;
  }>;
  series?: Array<{ label: string; medianMiB: number; maxMiB: number }>;
  load?: { loaded: number; ms: number };
  /** guard-check: medians over rounds in which the bare server and the guard took turns. */
  summary?: {
    ratio: number;
    saturation: { ceiling: number; guard: number };
    paced: { ceiling: number; guard: number; ceilingP99: number; guardP99: number };
  };
  enforcementMs?: { manual: Dist; ingest: Dist };
  crowdsec?: { wrk: GuardRun; paced: GuardRun } | { skipped: string };
  pass?: Record<'p99' | 'ratio' | 'enforcement' | 'load', boolean>;
}

interface GuardRun {
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

function runOne(name: Name): Promise<Run> {
  const startedAt = Date.now();
  console.log(`\n${'='.repeat(100)}\n▶ ${name}  (node --import tsx bench/${name}.ts)\n${'='.repeat(100)}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, `${name}.ts`)], { cwd: REPO_ROOT, stdio: 'inherit' });
    // SIGTERM lets the script clean up (temp dirs, databases, processes) before SIGKILL.
    const timer = setTimeout(() => {
      console.error(`${name}: over ${PER_SCRIPT_TIMEOUT_MS / 1000} s, stopping it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, PER_SCRIPT_TIMEOUT_MS);
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      const file = path.join(RESULTS_DIR, `${name}.json`);
      let result: Run['result'] = null;
      if (existsSync(file)) {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as ResultFile;
        // Only a result written by this run counts.
        if (Date.parse(parsed.finishedAt) >= startedAt) result = parsed;
      }
      resolve({ name, exitCode: code, seconds: Math.round((Date.now() - startedAt) / 1000), result });
    });
  });
}

type Row = [string, string, string, string, string];

function rowsFor(run: Run): Row[] {
  const r = run.result;
  if (!r) return [[run.name, '(no result)', `exit ${run.exitCode}`, '', 'FAIL']];
  const rows: Row[] = [];
  if (run.name === 'audit-append') {
    for (const b of r.results ?? []) {
      const label = `audit-append ${b.backend}`;
      rows.push([
        label,
        `throughput (${b.producers} producers)`,
        `${fmtInt(b.eventsPerSecond ?? NaN)} events/s`,
        `≥ ${fmtInt(b.target ?? NaN)}`,
        verdict(b.pass),
      ]);
      rows.push(['', 'ack latency p50 / p99', `${b.ackLatencyMs?.p50} / ${b.ackLatencyMs?.p99} ms`, '', '']);
      rows.push([
        '',
        'chain verification',
        `${b.verify?.ok ? 'ok' : 'BROKEN'}, ${fmtInt(b.verify?.eventsPerSecond ?? NaN)} events/s`,
        '',
        b.verify?.ok ? '' : 'FAIL',
      ]);
      rows.push([
        '',
        'durability',
        Object.entries(b.durability ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
        '',
        '',
      ]);
    }
    for (const [backend, message] of Object.entries(r.errors ?? {})) rows.push([`audit-append ${backend}`, 'error', String(message).slice(0, 60), '', 'FAIL']);
  } else if (run.name === 'live-latency') {
    // The separate-process mode is the headline: it does not share the worker's event loop.
    const ordered = [...(r.results ?? [])].sort((a, b) => (a.mode === 'child' ? -1 : b.mode === 'child' ? 1 : 0));
    for (const m of ordered) {
      const label = m.mode === 'child' ? 'live-latency (clients in own process)' : 'live-latency (clients in-process)';
      rows.push([
        label,
        `emit→receipt p99 (${m.clients} clients)`,
        `${m.latencyMs?.p99} ms`,
        m.mode === 'child' ? '≤ 50 ms' : '(reference)',
        m.mode === 'child' ? verdict(m.pass) : '',
      ]);
      rows.push(['', 'p50 / p95 / max, lost', `${m.latencyMs?.p50} / ${m.latencyMs?.p95} / ${m.latencyMs?.max} ms, ${m.lost} lost`, '', '']);
    }
    for (const [mode, message] of Object.entries(r.errors ?? {})) rows.push([`live-latency ${mode}`, 'error', String(message).slice(0, 60), '', 'FAIL']);
  } else if (run.name === 'worker-idle-rss') {
    for (const s of r.series ?? []) {
      rows.push([s.label === 'Vigil worker' ? 'worker-idle-rss' : `  ${s.label}`, 'RSS median / max', `${s.medianMiB} / ${s.maxMiB} MB`, '', '']);
    }
  } else if (run.name === 'guard-check' && r.summary && r.pass) {
    const { ratio, saturation, paced } = r.summary;
    rows.push([
      'guard-check',
      'saturation (wrk), guard / bare 204, median',
      `${ratio} (${fmtInt(saturation.guard)} / ${fmtInt(saturation.ceiling)} req/s)`,
      '≥ 0.75',
      verdict(r.pass.ratio),
    ]);
    rows.push([
      '',
      'paced p99, guard / bare 204, median',
      `${paced.guardP99} / ${paced.ceilingP99} ms at ${fmtInt(paced.guard)} req/s`,
      '≤ 1.5 ms',
      verdict(r.pass.p99),
    ]);
    rows.push([
      '',
      'decision → 403 p99 (manual / ingest)',
      `${r.enforcementMs?.manual.p99} / ${r.enforcementMs?.ingest.p99} ms`,
      '≤ 100 ms',
      verdict(r.pass.enforcement),
    ]);
    rows.push(['', 'blocklist load', `${fmtInt(r.load?.loaded ?? NaN)} in ${r.load?.ms} ms`, '≤ 1,000 ms', verdict(r.pass.load)]);
    const cs = r.crowdsec;
    rows.push([
      '  CrowdSec LAPI (anchor)',
      'saturation / paced p99',
      cs && 'wrk' in cs ? `${fmtInt(cs.wrk.requestsPerSecond)} req/s / ${cs.paced.latencyMs.p99} ms` : `skipped: ${cs?.skipped ?? 'not run'}`,
      '',
      '',
    ]);
  }
  if (r.summaryRows) rows.push(...r.summaryRows.map((row) => row.slice(0, 5) as Row));
  if (run.exitCode !== 0) rows.push(['', 'exit code', String(run.exitCode), '', 'FAIL']);
  return rows;
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  for (const name of selected) runs.push(await runOne(name));
  const m = machineInfo();
  const rows = runs.flatMap(rowsFor);
  console.log(`\n${'='.repeat(100)}\nSummary — ${m.cpus} CPU ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}, load ${m.loadAverage.join(' ')}`);
  console.log(table(['benchmark', 'metric', 'result', 'target', 'verdict'], rows));
  console.log(`\ntimes: ${runs.map((r) => `${r.name} ${r.seconds}s`).join(', ')}; JSON in ${path.relative(process.cwd(), RESULTS_DIR)}/`);
  writeResult('run-all', { runs: runs.map((r) => ({ name: r.name, exitCode: r.exitCode, seconds: r.seconds })), summary: rows });
  if (runs.some((r) => r.exitCode !== 0 || !r.result)) process.exitCode = 1;
}

void main();
