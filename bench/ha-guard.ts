// Guard throughput with one worker replica against two, on one PostgreSQL database, and the
// failover time when the leader is killed. Replicas run as production does
// (`node --import tsx server/main.ts`, VIGIL_HA=true), each pinned to a core with taskset.
//
//   node --import tsx bench/ha-guard.ts [--seconds 10] [--entries 100000] [--failovers 5]
//
// The machine decides what "grows with replicas" can mean: on 2 cores, one replica leaves the
// other core to the load generator, while two replicas share both cores with two generators.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createTestDatabase } from '@/server/test-support/postgres';
import { findFreePort, waitForHttp } from '@/server/test-support/http';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { TEST_API_TOKEN, workerEnvVars } from '@/server/test-support/worker-env';

import { clusterHealth } from '@/server/test-support/cluster-health';
import { distribution, fmtInt, intArg, machineInfo, monoMs, parseArgs, REPO_ROOT, roundDist, table, writeResult } from './lib/common';
import { seedIsolations } from './lib/seed-isolations';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { runWrk, writeWrkScript, type WrkResult } from './lib/wrk';

const args = parseArgs();
const SECONDS = intArg(args, 'seconds', 10);
const ENTRIES = intArg(args, 'entries', 100_000);
const FAILOVERS = intArg(args, 'failovers', 5);

interface Replica {
  node: string;
  port: number;
  url: string;
  /** CPU seconds the replica's process has used (user + system). */
  cpuSeconds(): number;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

async function startReplica(node: string, databaseUrl: string, baseDir: string, cpu: number | null): Promise<Replica> {
  const dataDir = `${baseDir}/${node}`;
  mkdirSync(dataDir, { recursive: true });
  const port = await findFreePort();
  const env = workerEnvVars({
    dataDir,
    databaseUrl,
    vars: { WORKER_PORT: String(port), LOG_LEVEL: 'warn', VIGIL_HA: 'true', VIGIL_NODE_ID: node, VIGIL_CONFIG: `${baseDir}/vigil.config.yaml` },
  });
  const argv = [process.execPath, '--import', 'tsx', 'server/main.ts'];
  const [command, ...rest] = cpu === null ? argv : ['taskset', '-c', String(cpu), ...argv];
  const child = spawn(command, rest, {
    cwd: REPO_ROOT,
    env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  addCleanup(() => kill('SIGKILL'));
  await waitForHttp(port, { timeoutMs: 60_000 });
  // taskset execs node, so the pid is the replica's own.
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  return { node, port, url: `http://127.0.0.1:${port}`, kill, cpuSeconds };
}

async function waitForRole(replica: Replica, role: 'leader' | 'standby', timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await clusterHealth(replica))?.cluster?.role !== role) {
    if (Date.now() > until) throw new Error(`${replica.node} did not become ${role}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const dir = makeTempDir('vigil-bench-ha-');
  addCleanup(() => dir.remove());
  writeFileSync(dir.join('vigil.config.yaml'), '{}\n');
  const db = await createTestDatabase();
  addCleanup(() => db.drop());
  console.log(`seeding ${fmtInt(ENTRIES)} isolated addresses in PostgreSQL …`);
  await seedIsolations(db.url, { entries: ENTRIES });
  const script = writeWrkScript(dir.join('sources.lua'), { sources: 50_000, isolatedEvery: 10 });
  // Requests per CPU-second of the replica: what one core buys, whatever else shares the machine.
  const saturate = async (replica: Replica, cpu: number | undefined): Promise<WrkResult & { perCpuSecond: number; cpuShare: number }> => {
    await runWrk({ url: `${replica.url}/guard/check`, seconds: 2, connections: 50, script, cpu });
    const cpuBefore = replica.cpuSeconds();
    const result = await runWrk({ url: `${replica.url}/guard/check`, seconds: SECONDS, connections: 50, script, cpu });
    const used = replica.cpuSeconds() - cpuBefore;
    return { ...result, perCpuSecond: Math.round((result.requestsPerSecond * SECONDS) / used), cpuShare: Math.round((used / SECONDS) * 100) };
  };

  // One replica on core 0, the load generator on core 1.
  const a = await startReplica('node-a', db.url, dir.path, 0);
  await waitForRole(a, 'leader');
  const oneLeader = await saturate(a, 1);
  console.log(`1 replica (leader, core 0; wrk core 1): ${fmtInt(oneLeader.requestsPerSecond)} req/s, p99 ${oneLeader.latencyMs.p99} ms`);

  // A standby on core 1: alone under load it shows what relaying signals costs a replica.
  const b = await startReplica('node-b', db.url, dir.path, 1);
  await waitForRole(b, 'standby');
  const oneStandby = await saturate(b, 0);
  console.log(`1 replica (standby, core 1; wrk core 0): ${fmtInt(oneStandby.requestsPerSecond)} req/s, p99 ${oneStandby.latencyMs.p99} ms`);

  // Decision on the leader → enforced by the standby's guard (NOTIFY, then the standby's memory).
  const propagation: number[] = [];
  for (let i = 0; i < 50; i++) {
    const source = `203.0.113.${i + 1}`;
    const started = monoMs();
    const made = await fetch(`${a.url}/api/v1/isolations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source, duration: '1h', reason: 'bench' }),
    });
    if (made.status !== 201) throw new Error(`isolation refused: ${made.status}`);
    while ((await fetch(`${b.url}/guard/check`, { headers: { 'x-forwarded-for': source } })).status !== 403) {
      if (monoMs() - started > 5000) throw new Error(`${source} never reached the standby`);
    }
    propagation.push(monoMs() - started);
  }
  const propagated = roundDist(distribution(propagation), 1);
  console.log(`leader decision → standby guard 403: p50 ${propagated.p50} ms, p99 ${propagated.p99} ms`);

  // Both at once, one generator each, each generator on the other replica's core.
  const [toA, toB] = await Promise.all([saturate(a, 1), saturate(b, 0)]);
  const both = toA.requestsPerSecond + toB.requestsPerSecond;
  console.log(`2 replicas: ${fmtInt(toA.requestsPerSecond)} + ${fmtInt(toB.requestsPerSecond)} = ${fmtInt(both)} req/s`);

  // Failover: kill the leader, time until the standby reports itself leader; then bring the old one back.
  const takeovers: number[] = [];
  let leader = a;
  let standby = b;
  for (let i = 0; i < FAILOVERS; i++) {
    const started = monoMs();
    await leader.kill('SIGKILL');
    await waitForRole(standby, 'leader', 15_000);
    takeovers.push(monoMs() - started);
    console.log(`failover ${i + 1}: ${Math.round(takeovers.at(-1)!)} ms`);
    const revived = await startReplica(leader.node, db.url, dir.path, leader === a ? 0 : 1);
    await waitForRole(revived, 'standby');
    [leader, standby] = [standby, revived];
  }
  const failover = roundDist(distribution(takeovers), 0);
  const m = machineInfo();
  console.log(
    `\n${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load ${m.loadAverage.join(' ')}, wrk -t1 -c50, ${SECONDS} s per run, ${fmtInt(ENTRIES)} isolations loaded`,
  );
  console.log(
    table(
      ['setup', 'req/s', 'p99', 'replica CPU', 'req per CPU-second'],
      [
        ['1 replica (leader)', fmtInt(oneLeader.requestsPerSecond), `${oneLeader.latencyMs.p99} ms`, `${oneLeader.cpuShare} %`, fmtInt(oneLeader.perCpuSecond)],
        [
          '1 replica (standby, relaying signals)',
          fmtInt(oneStandby.requestsPerSecond),
          `${oneStandby.latencyMs.p99} ms`,
          `${oneStandby.cpuShare} %`,
          fmtInt(oneStandby.perCpuSecond),
        ],
        [
          '2 replicas, both loaded',
          `${fmtInt(both)} (${fmtInt(toA.requestsPerSecond)} + ${fmtInt(toB.requestsPerSecond)})`,
          `${toA.latencyMs.p99} / ${toB.latencyMs.p99} ms`,
          `${toA.cpuShare} + ${toB.cpuShare} %`,
          `${fmtInt(toA.perCpuSecond)} / ${fmtInt(toB.perCpuSecond)}`,
        ],
        ['decision on the leader → 403 on the standby (50 runs)', `p50 ${propagated.p50} ms, p99 ${propagated.p99} ms`, '', '', ''],
        [`failover (SIGKILL → standby leads), ${FAILOVERS} runs`, `p50 ${failover.p50} ms, max ${failover.max} ms`, '', '', ''],
      ],
    ),
  );
  writeResult('ha-guard', {
    seconds: SECONDS,
    entries: ENTRIES,
    oneLeader,
    oneStandby,
    twoReplicas: { a: toA, b: toB, total: both },
    propagationMs: propagated,
    failoverMs: failover,
    takeovers: takeovers.map(Math.round),
  });
  await runCleanups();
}

runBenchmark({ name: 'ha-guard', hardLimitMs: 15 * 60_000, main });
