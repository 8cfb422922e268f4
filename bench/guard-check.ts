// The guard under load, with 100,000 isolated addresses (and 1,000 ranges) loaded, next to a
// bare Node HTTP server that only answers 204 (the ceiling), in the same run; the guard twice:
// in the worker's own process, and in the dedicated guard process the worker starts and feeds
// (VIGIL_GUARD_PORT), whose passed checks the worker's detectors count:
//   - saturation throughput and latency with wrk (1 thread, 32 connections), as a ratio to the
//     bare server's: bare and guard take turns for several rounds and the median ratio counts
//   - p99 at about 5,000 req/s (wrk paced by a per-request delay), interleaved the same way
//   - decision-to-enforcement latency (manual isolation, and automatic from ingested failures)
//   - how long the worker takes to load the decisions at start
//
//   node --import tsx bench/guard-check.ts [--seconds 6] [--rounds 3] [--connections 32] [--entries 100000]
//   taskset -c 0 node --import tsx bench/guard-check.ts --wrk-cpu 1   (server on core 0, wrk on core 1)
import { spawn, type ChildProcess } from 'node:child_process';
import { startWorker, type Worker } from '@/server/worker';
import { silentLogger } from '@/server/test-support/log';
import { makeTempDir, sqliteUrlIn } from '@/server/test-support/temp-dir';
import { TEST_API_TOKEN, workerEnvFor } from '@/server/test-support/worker-env';
import { distribution, fmtInt, intArg, machineInfo, monoMs, parseArgs, roundDist, table, verdict, writeResult } from './lib/common';
import { interleave, loadAverage, median, medians, round2, type Round, type Side } from './lib/guard-sides';
import { seedIsolations } from './lib/seed-isolations';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { runWrk, writeWrkScript, type WrkResult } from './lib/wrk';
import { crowdsecMissing, startCrowdsecLapi } from './lib/crowdsec';
import { findFreePort } from '@/server/test-support/http';

const args = parseArgs();
const SECONDS = intArg(args, 'seconds', 6);
const ENTRIES = intArg(args, 'entries', 100_000);
const SOURCES = 50_000;
const ISOLATED_EVERY = 10;
const WRK_CPU = args.has('wrk-cpu') ? intArg(args, 'wrk-cpu', 1) : undefined;
const ROUNDS = intArg(args, 'rounds', 3);
const SATURATION_CONNECTIONS = intArg(args, 'connections', 32);
const RATIO_TARGET = 0.75;
const P99_TARGET_MS = 1.5;

function startBareServer(): Promise<{ port: number; child: ChildProcess }> {
  const code = "require('http').createServer((q,s)=>{s.writeHead(204);s.end()}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  addCleanup(() => child.kill());
  return new Promise((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve({ port: Number(chunk.toString().trim()), child })));
}

/**
 * From the API call to the first 403 at `guardPort` (the worker's own, or its guard process's); and
 * `hop`, from when the worker's blocklist held the decision to that 403 (the feed to a guard process).
 */
async function enforcementLatency(
  worker: Worker,
  guardPort: number,
  kind: 'manual' | 'ingest',
  n: number,
  net: number,
): Promise<ReturnType<typeof roundDist> & { hop: ReturnType<typeof roundDist> }> {
  const samples: number[] = [];
  const hops: number[] = [];
  for (let i = 0; i < n; i++) {
    const source = `203.${net}.${kind === 'manual' ? 113 : 114}.${i + 1}`;
    const started = monoMs();
    const body =
      kind === 'manual' ? { source, duration: '1h', reason: 'bench' } : { events: Array.from({ length: 10 }, () => ({ type: 'auth_failure', source })) };
    const sent = fetch(`http://127.0.0.1:${worker.port}${kind === 'manual' ? '/api/v1/isolations' : '/api/v1/events'}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    let heldAt: number | null = null;
    for (;;) {
      // The worker runs in this process: its blocklist is read between two checks.
      if (heldAt === null && worker.defense.blocklist.get(source)) heldAt = monoMs();
      const res = await fetch(`http://127.0.0.1:${guardPort}/guard/check`, { headers: { 'x-forwarded-for': source } });
      if (res.status === 403) break;
      if (monoMs() - started > 5000) throw new Error(`${source} not enforced within 5 s`);
    }
    const enforcedAt = monoMs();
    samples.push(enforcedAt - started);
    hops.push(enforcedAt - (heldAt ?? enforcedAt));
    await sent;
  }
  return { ...roundDist(distribution(samples)), hop: roundDist(distribution(hops)) };
}

async function main(): Promise<void> {
  const dir = makeTempDir('vigil-bench-guard-');
  addCleanup(() => dir.remove());
  const url = sqliteUrlIn(dir.path);
  console.log(`seeding ${fmtInt(ENTRIES)} isolated addresses and 1,000 ranges …`);
  const seedStarted = monoMs();
  await seedIsolations(url, { entries: ENTRIES, ranges: 1000 });
  console.log(`seeded in ${Math.round(monoMs() - seedStarted)} ms`);
  const env = workerEnvFor({ dataDir: dir.join('data'), databaseUrl: url, vars: { VIGIL_CONFIG: dir.join('none.yaml'), VIGIL_GUARD_PORT: '0' } });
  const worker = await startWorker({ env, log: silentLogger() });
  addCleanup(() => worker.close('bench finished'));
  const guardProcess = worker.guard!;
  const load = { ...worker.defense.startup };
  console.log(`worker loaded ${fmtInt(load.loaded)} decisions in ${load.ms} ms; guard process ${guardProcess.pid} on port ${guardProcess.port}`);
  const bare = await startBareServer();
  const script = writeWrkScript(dir.join('sources.lua'), { sources: SOURCES, isolatedEvery: ISOLATED_EVERY });

  // The machine is shared: the sides take turns, round after round, so a change in load hits
  // every side of a ratio alike; the medians over rounds are what the targets judge.
  const sides: Side[] = [
    { name: 'ceiling', port: () => bare.port, pid: () => bare.child.pid! },
    { name: 'inWorker', port: () => worker.port, pid: () => process.pid },
    { name: 'dedicated', port: () => guardProcess.port!, pid: () => guardProcess.pid!, alsoPid: () => process.pid },
  ];
  const cpuText = (run: Round['sides']['dedicated']) => `${run.cpuUs} µs CPU/req${run.alsoCpuUs === undefined ? '' : ` (+ worker ${run.alsoCpuUs})`}`;
  const describe = (r: Round, extra: (run: Round['sides']['dedicated']) => string) =>
    sides.map(({ name }) => `${name} ${fmtInt(r.sides[name].result.requestsPerSecond)} req/s ${extra(r.sides[name])}${cpuText(r.sides[name])}`).join(', ');
  const saturationOptions = { seconds: SECONDS, connections: SATURATION_CONNECTIONS, script, cpu: WRK_CPU };
  for (const side of sides) await runWrk({ ...saturationOptions, seconds: 2, url: `http://127.0.0.1:${side.port()}/guard/check` });
  const saturation = await interleave(sides, ROUNDS, saturationOptions, (r) => {
    const ratio = (name: Side['name']) => round2(r.sides[name].result.requestsPerSecond / r.sides.ceiling.result.requestsPerSecond);
    console.log(`saturation ${r.round}/${ROUNDS} (load ${r.loadBefore}): ${describe(r, () => '')}; ratios ${ratio('inWorker')} / ${ratio('dedicated')}`);
  });
  // 40 connections each pausing 6 ms between requests: about 5,000 req/s (wrk's timer is coarse).
  const pacedScript = writeWrkScript(dir.join('paced.lua'), { sources: SOURCES, isolatedEvery: ISOLATED_EVERY, delayMs: 6 });
  const paced = await interleave(sides, ROUNDS, { seconds: SECONDS, connections: 40, script: pacedScript, cpu: WRK_CPU }, (r) =>
    console.log(`~5,000 req/s ${r.round}/${ROUNDS} (load ${r.loadBefore}): ${describe(r, (run) => `p99 ${run.result.latencyMs.p99} ms `)}`),
  );
  const ratiosOf = (name: Side['name']) => saturation.map((r) => round2(r.sides[name].result.requestsPerSecond / r.sides.ceiling.result.requestsPerSecond));
  const ratios = { inWorker: ratiosOf('inWorker'), dedicated: ratiosOf('dedicated') };
  const ratio = { inWorker: round2(median(ratios.inWorker)), dedicated: round2(median(ratios.dedicated)) };
  const summary = {
    ratio,
    saturation: {
      requestsPerSecond: medians(saturation, (run) => run.result.requestsPerSecond),
      p99: medians(saturation, (run) => run.result.latencyMs.p99),
      cpuUs: medians(saturation, (run) => run.cpuUs),
      workerCpuUsForDedicated: medians(saturation, (run) => run.alsoCpuUs).dedicated,
    },
    paced: {
      requestsPerSecond: medians(paced, (run) => run.result.requestsPerSecond),
      p50: medians(paced, (run) => run.result.latencyMs.p50),
      p99: medians(paced, (run) => run.result.latencyMs.p99),
      cpuUs: medians(paced, (run) => run.cpuUs),
      workerCpuUsForDedicated: medians(paced, (run) => run.alsoCpuUs).dedicated,
    },
  };
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
    await runWrk({ url: `http://127.0.0.1:${port}/`, seconds: 2, connections: SATURATION_CONNECTIONS, script: csScript });
    crowdsec = {
      wrk: await runWrk({ url: `http://127.0.0.1:${port}/`, seconds: SECONDS, connections: SATURATION_CONNECTIONS, script: csScript }),
      paced: await runWrk({ url: `http://127.0.0.1:${port}/`, seconds: SECONDS, connections: 40, script: csPaced }),
    };
    // Stopped before the enforcement runs, so it takes no CPU from them.
    lapi.stop();
    console.log(`crowdsec LAPI: ${fmtInt(crowdsec.wrk.requestsPerSecond)} req/s saturated, p99 ${crowdsec.paced.latencyMs.p99} ms paced`);
  }
  const enforcement = {
    inWorker: {
      manual: await enforcementLatency(worker, worker.port, 'manual', 30, 0),
      ingest: await enforcementLatency(worker, worker.port, 'ingest', 30, 0),
    },
    dedicated: {
      manual: await enforcementLatency(worker, guardProcess.port!, 'manual', 30, 1),
      ingest: await enforcementLatency(worker, guardProcess.port!, 'ingest', 30, 1),
    },
  };
  const { inWorker: iw, dedicated: gp } = enforcement;

  const cs = (show: (c: { wrk: WrkResult; paced: WrkResult }) => string) => ('skipped' in crowdsec ? 'skipped' : show(crowdsec));
  const m = machineInfo();
  const pass = {
    ratio: ratio.dedicated >= RATIO_TARGET,
    p99: summary.paced.p99.dedicated <= P99_TARGET_MS,
    enforcement: gp.manual.p99 <= 100 && gp.ingest.p99 <= 100,
    load: load.ms <= 1000,
  };
  const { saturation: sat, paced: rate } = summary;
  const enforcementRow = (label: string, kind: 'manual' | 'ingest') => {
    const [a, b] = [iw[kind], gp[kind]];
    return [label, '', `${a.p50} / ${a.p99} ms`, `${b.p50} / ${b.p99} ms (last hop ${b.hop.p50} / ${b.hop.p99})`, '', '≤ 100 ms', verdict(b.p99 <= 100)];
  };
  const three = (values: Record<Side['name'], number>, unit: string, format = (v: number) => String(v)) =>
    [values.ceiling, values.inWorker, values.dedicated].map((v) => `${format(v)} ${unit}`);
  console.log(
    `\n${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load average now ${loadAverage()}; wrk -t1 -c${SATURATION_CONNECTIONS} unpinned${WRK_CPU === undefined ? '' : ` (wrk on core ${WRK_CPU})`}, ${SECONDS} s per run, medians of ${ROUNDS} interleaved rounds`,
  );
  console.log(
    table(
      ['metric', 'bare node 204 (ceiling)', 'guard in the worker', 'guard process', 'CrowdSec LAPI', 'target', 'verdict'],
      [
        ['saturation (wrk), median', ...three(sat.requestsPerSecond, 'req/s', fmtInt), cs((c) => `${fmtInt(c.wrk.requestsPerSecond)} req/s`), '', ''],
        [
          'guard / bare, median of rounds',
          '',
          `${ratio.inWorker} (${ratios.inWorker.join(', ')})`,
          `${ratio.dedicated} (${ratios.dedicated.join(', ')})`,
          '',
          `≥ ${RATIO_TARGET}`,
          verdict(pass.ratio),
        ],
        ['CPU per request (user + system), median', ...three(sat.cpuUs, 'µs'), '', '', ''],
        ['worker CPU per request the guard process passed on', '', '', `${sat.workerCpuUsForDedicated} µs`, '', '', ''],
        ['saturation p99, median', ...three(sat.p99, 'ms'), cs((c) => `${c.wrk.latencyMs.p99} ms`), '', ''],
        ['paced load, achieved', ...three(rate.requestsPerSecond, 'req/s', fmtInt), cs((c) => `${fmtInt(c.paced.requestsPerSecond)} req/s`), '5,000 req/s', ''],
        [
          'paced load p50 / p99, median',
          ...(['ceiling', 'inWorker', 'dedicated'] as const).map((name) => `${rate.p50[name]} / ${rate.p99[name]} ms`),
          cs((c) => `${c.paced.latencyMs.p50} / ${c.paced.latencyMs.p99} ms`),
          `p99 ≤ ${P99_TARGET_MS} ms`,
          verdict(pass.p99),
        ],
        ['paced load, CPU per request, median', ...three(rate.cpuUs, 'µs'), '', '', ''],
        enforcementRow('decision → 403 (manual) p50 / p99', 'manual'),
        enforcementRow('10th failure → 403 (ingest) p50 / p99', 'ingest'),
        ['blocklist load at start', '', `${fmtInt(load.loaded)} in ${load.ms} ms`, '', '', '≤ 1,000 ms', verdict(pass.load)],
      ],
    ),
  );
  writeResult('guard-check', {
    seconds: SECONDS,
    rounds: ROUNDS,
    entries: ENTRIES,
    loader: `wrk 4.1.0 (Debian) -t1, every request formatted once in init: -c${SATURATION_CONNECTIONS} for saturation; -c40 with a 6 ms delay per request for the paced run; bare, in-worker guard and guard process interleaved${WRK_CPU === undefined ? '' : `; wrk pinned to core ${WRK_CPU}`}`,
    load,
    summary,
    saturation,
    paced,
    enforcementMs: enforcement,
    crowdsec,
    pass,
  });
  await runCleanups();
}

// Seeding 100,000 rows alone took 90 s at load 33: the limit leaves room for it under load.
runBenchmark({ name: 'guard-check', hardLimitMs: 480_000, main });
