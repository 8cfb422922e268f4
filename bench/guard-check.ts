// The guard under load, with 100,000 isolated addresses (and 1,000 ranges) loaded, next to a
// bare Node HTTP server that only answers 204 (the ceiling), in the same run:
//   - saturation throughput and latency with wrk (1 thread, 50 connections)
//   - p99 at about 5,000 req/s (wrk paced by a per-request delay)
//   - decision-to-enforcement latency (manual isolation, and automatic from ingested failures)
//   - how long the worker takes to load the decisions at start
//
//   node --import tsx bench/guard-check.ts [--seconds 10] [--entries 100000]
//   taskset -c 0 node --import tsx bench/guard-check.ts --wrk-cpu 1   (server on core 0, wrk on core 1)
import { spawn, type ChildProcess } from 'node:child_process';
import { startWorker, type Worker } from '@/server/worker';
import { silentLogger } from '@/server/test-support/log';
import { makeTempDir, sqliteUrlIn } from '@/server/test-support/temp-dir';
import { TEST_API_TOKEN, workerEnvFor } from '@/server/test-support/worker-env';
import { distribution, fmtInt, intArg, machineInfo, monoMs, parseArgs, roundDist, table, verdict, writeResult } from './lib/common';
import { seedIsolations } from './lib/seed-isolations';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { runWrk, writeWrkScript, type WrkResult } from './lib/wrk';
import { crowdsecMissing, startCrowdsecLapi } from './lib/crowdsec';
import { findFreePort } from '@/server/test-support/http';

const args = parseArgs();
const SECONDS = intArg(args, 'seconds', 10);
const ENTRIES = intArg(args, 'entries', 100_000);
const SOURCES = 50_000;
const ISOLATED_EVERY = 10;
const WRK_CPU = args.has('wrk-cpu') ? intArg(args, 'wrk-cpu', 1) : undefined;

function startBareServer(): Promise<{ port: number; child: ChildProcess }> {
  const code = "require('http').createServer((q,s)=>{s.writeHead(204);s.end()}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  addCleanup(() => child.kill());
  return new Promise((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve({ port: Number(chunk.toString().trim()), child })));
}

async function enforcementLatency(worker: Worker, kind: 'manual' | 'ingest', n: number): Promise<ReturnType<typeof roundDist>> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const source = `203.0.${kind === 'manual' ? 113 : 114}.${i + 1}`;
    const started = monoMs();
    const body = kind === 'manual' ? { source, duration: '1h', reason: 'bench' } : { events: Array.from({ length: 10 }, () => ({ type: 'auth_failure', source })) };
    const sent = fetch(`http://127.0.0.1:${worker.port}${kind === 'manual' ? '/api/v1/isolations' : '/api/v1/events'}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${worker.port}/guard/check`, { headers: { 'x-forwarded-for': source } });
      if (res.status === 403) break;
      if (monoMs() - started > 5000) throw new Error(`${source} not enforced within 5 s`);
    }
    samples.push(monoMs() - started);
    await sent;
  }
  return roundDist(distribution(samples));
}

async function main(): Promise<void> {
  const dir = makeTempDir('vigil-bench-guard-');
  addCleanup(() => dir.remove());
  const url = sqliteUrlIn(dir.path);
  console.log(`seeding ${fmtInt(ENTRIES)} isolated addresses and 1,000 ranges …`);
  const seedStarted = monoMs();
  await seedIsolations(url, { entries: ENTRIES, ranges: 1000 });
  console.log(`seeded in ${Math.round(monoMs() - seedStarted)} ms`);
  const env = workerEnvFor({ dataDir: dir.join('data'), databaseUrl: url, vars: { VIGIL_CONFIG: dir.join('none.yaml') } });
  const worker = await startWorker({ env, log: silentLogger() });
  addCleanup(() => worker.close('bench finished'));
  const load = { ...worker.defense.startup };
  console.log(`worker loaded ${fmtInt(load.loaded)} decisions in ${load.ms} ms`);
  const bare = await startBareServer();
  const script = writeWrkScript(dir.join('sources.lua'), { sources: SOURCES, isolatedEvery: ISOLATED_EVERY });

  const saturate = async (port: number, withScript: boolean): Promise<WrkResult> => {
    await runWrk({ url: `http://127.0.0.1:${port}/guard/check`, seconds: 2, connections: 50, script: withScript ? script : undefined, cpu: WRK_CPU });
    return runWrk({ url: `http://127.0.0.1:${port}/guard/check`, seconds: SECONDS, connections: 50, script: withScript ? script : undefined, cpu: WRK_CPU });
  };
  const ceilingWrk = await saturate(bare.port, true);
  const guardWrk = await saturate(worker.port, true);
  console.log(`saturation: ceiling ${fmtInt(ceilingWrk.requestsPerSecond)} req/s, guard ${fmtInt(guardWrk.requestsPerSecond)} req/s (${fmtInt(guardWrk.non2xx)} refused)`);
  // 40 connections each pausing 6 ms between requests: about 5,000 req/s (wrk's timer is coarse).
  const paced = writeWrkScript(dir.join('paced.lua'), { sources: SOURCES, isolatedEvery: ISOLATED_EVERY, delayMs: 6 });
  const atRate = (port: number) => runWrk({ url: `http://127.0.0.1:${port}/guard/check`, seconds: SECONDS, connections: 40, script: paced, cpu: WRK_CPU });
  const ceilingRate = await atRate(bare.port);
  const guardRate = await atRate(worker.port);
  console.log(`~5,000 req/s: ceiling ${fmtInt(ceilingRate.requestsPerSecond)} req/s p99 ${ceilingRate.latencyMs.p99} ms, guard ${fmtInt(guardRate.requestsPerSecond)} req/s p99 ${guardRate.latencyMs.p99} ms`);
  // Anchor: CrowdSec's local API answering its bouncers' lookup for the same addresses.
  let crowdsec: { wrk: WrkResult; paced: WrkResult } | { skipped: string };
  const missing = crowdsecMissing();
  if (missing) {
    crowdsec = { skipped: missing };
    console.warn(`!!! CrowdSec anchor skipped: ${missing}`);
  } else {
    const port = await findFreePort();
    const lapi = await startCrowdsecLapi({ dir: dir.join('crowdsec'), port, entries: ENTRIES });
    const csScript = writeWrkScript(dir.join('crowdsec.lua'), { sources: SOURCES, isolatedEvery: ISOLATED_EVERY, crowdsecKey: lapi.key });
    const csPaced = writeWrkScript(dir.join('crowdsec-paced.lua'), { sources: SOURCES, isolatedEvery: ISOLATED_EVERY, crowdsecKey: lapi.key, delayMs: 6 });
    await runWrk({ url: `http://127.0.0.1:${port}/`, seconds: 2, connections: 50, script: csScript });
    crowdsec = {
      wrk: await runWrk({ url: `http://127.0.0.1:${port}/`, seconds: SECONDS, connections: 50, script: csScript }),
      paced: await runWrk({ url: `http://127.0.0.1:${port}/`, seconds: SECONDS, connections: 40, script: csPaced }),
    };
    // Stopped before the enforcement runs, so it takes no CPU from them.
    lapi.stop();
    console.log(`crowdsec LAPI: ${fmtInt(crowdsec.wrk.requestsPerSecond)} req/s saturated, p99 ${crowdsec.paced.latencyMs.p99} ms paced`);
  }
  const manual = await enforcementLatency(worker, 'manual', 30);
  const ingest = await enforcementLatency(worker, 'ingest', 30);

  const cs = (show: (c: { wrk: WrkResult; paced: WrkResult }) => string) => ('skipped' in crowdsec ? 'skipped' : show(crowdsec));
  const m = machineInfo();
  const pass = {
    p99: guardRate.latencyMs.p99 <= 2,
    saturation: guardWrk.requestsPerSecond >= 15_000,
    enforcement: manual.p99 <= 100 && ingest.p99 <= 100,
    load: load.ms <= 1000,
  };
  console.log(`\n${m.cpus} CPU ${m.cpuModel}, node ${m.node}, wrk -t1 -c50, ${SECONDS} s per run`);
  console.log(
    table(
      ['metric', 'bare node 204 (ceiling)', 'Vigil guard', 'CrowdSec LAPI', 'target', 'verdict'],
      [
        ['saturation (wrk)', `${fmtInt(ceilingWrk.requestsPerSecond)} req/s`, `${fmtInt(guardWrk.requestsPerSecond)} req/s`, cs((c) => `${fmtInt(c.wrk.requestsPerSecond)} req/s`), '≥ 15,000 req/s', verdict(pass.saturation)],
        ['saturation p50 / p99', `${ceilingWrk.latencyMs.p50} / ${ceilingWrk.latencyMs.p99} ms`, `${guardWrk.latencyMs.p50} / ${guardWrk.latencyMs.p99} ms`, cs((c) => `${c.wrk.latencyMs.p50} / ${c.wrk.latencyMs.p99} ms`), '', ''],
        ['paced load, achieved', `${fmtInt(ceilingRate.requestsPerSecond)} req/s`, `${fmtInt(guardRate.requestsPerSecond)} req/s`, cs((c) => `${fmtInt(c.paced.requestsPerSecond)} req/s`), '5,000 req/s', ''],
        ['paced load p50 / p99', `${ceilingRate.latencyMs.p50} / ${ceilingRate.latencyMs.p99} ms`, `${guardRate.latencyMs.p50} / ${guardRate.latencyMs.p99} ms`, cs((c) => `${c.paced.latencyMs.p50} / ${c.paced.latencyMs.p99} ms`), 'p99 ≤ 2 ms', verdict(pass.p99)],
        ['decision → 403 (manual) p50 / p99', '', `${manual.p50} / ${manual.p99} ms`, '', '≤ 100 ms', verdict(manual.p99 <= 100)],
        ['10th failure → 403 (ingest) p50 / p99', '', `${ingest.p50} / ${ingest.p99} ms`, '', '≤ 100 ms', verdict(ingest.p99 <= 100)],
        ['blocklist load at start', '', `${fmtInt(load.loaded)} in ${load.ms} ms`, '', '≤ 1,000 ms', verdict(pass.load)],
      ],
    ),
  );
  writeResult('guard-check', { seconds: SECONDS, entries: ENTRIES, loader: `wrk 4.1.0 (Debian) -t1: -c50 for saturation; -c40 with a 6 ms delay per request for the paced run${WRK_CPU === undefined ? '' : `; wrk pinned to core ${WRK_CPU}`}`, load, ceiling: { wrk: ceilingWrk, fixedRate: ceilingRate }, guard: { wrk: guardWrk, fixedRate: guardRate }, enforcementMs: { manual, ingest }, crowdsec, pass });
  await runCleanups();
}

runBenchmark({ name: 'guard-check', hardLimitMs: 170_000, main });
