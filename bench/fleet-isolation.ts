// Fleet-wide isolation latency: a console worker and three agent workers on loopback, each its
// own process (`vigil agent`). Each round isolates a new source with "scope": "fleet" on the
// console and measures, per agent, the time from sending the request to the first 403 of that
// agent's own /guard/check for the source (polled back to back, one request in flight per agent).
//
//   node --import tsx bench/fleet-isolation.ts [--rounds 30] [--postgres]
import { api } from '@/server/test-support/http';
import { guardCheck } from '@/server/test-support/guard';
import { createEnrollment, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '@/server/test-support/fleet';
import { createTestDatabase } from '@/server/test-support/postgres';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { TEST_API_TOKEN } from '@/server/test-support/worker-env';
import { distribution, intArg, machineInfo, monoMs, parseArgs, roundDist, table, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const ROUNDS = intArg(args, 'rounds', 30);
const POSTGRES = args.has('postgres');
const AGENTS = ['edge1', 'edge2', 'edge3'];

async function firstRefusal(agent: FleetProcess, source: string, startedAt: number): Promise<number> {
  const deadline = startedAt + 10_000;
  for (;;) {
    const { status } = await guardCheck(agent.port, { headers: { 'x-real-ip': source } });
    if (status === 403) return monoMs() - startedAt;
    if (monoMs() > deadline) throw new Error(`agent on ${agent.port} did not refuse ${source} within 10 s`);
  }
}

async function main(): Promise<void> {
  const tmp = makeTempDir('vigil-bench-fleet-');
  addCleanup(() => tmp.remove());
  const database = POSTGRES ? await createTestDatabase() : null;
  if (database) addCleanup(() => database.drop());
  const consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console'), databaseUrl: database?.url });
  addCleanup(() => stopProcess(consoleProcess));
  const token = await createEnrollment(consoleProcess.port, { labels: { bench: 'fleet' }, uses: AGENTS.length, expiresInMinutes: 10 });
  const agents = await Promise.all(AGENTS.map((name) => startAgentProcess({ dataDir: tmp.join(name), consolePort: consoleProcess.port, token, name })));
  for (const agent of agents) addCleanup(() => stopProcess(agent));
  for (const name of AGENTS) await waitForHost(consoleProcess.port, name, (host) => host.connected, 'connected');

  const answered: number[] = [];
  const enforced: number[] = [];
  const slowestPerRound: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const source = `198.18.${Math.floor(round / 250)}.${(round % 250) + 1}`;
    const startedAt = monoMs();
    const answer = await api(consoleProcess.port, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source, reason: 'fleet isolation benchmark', scope: 'fleet', duration: '1h' },
    });
    if (answer.status !== 201) throw new Error(`POST /api/v1/isolations answered ${answer.status}: ${answer.text}`);
    answered.push(monoMs() - startedAt);
    const latencies = await Promise.all(agents.map((agent) => firstRefusal(agent, source, startedAt)));
    enforced.push(...latencies);
    slowestPerRound.push(Math.max(...latencies));
  }

  const m = machineInfo();
  const result = {
    rounds: ROUNDS,
    agents: AGENTS.length,
    store: POSTGRES ? 'postgresql' : 'sqlite',
    consoleAnsweredMs: roundDist(distribution(answered)),
    enforcedPerAgentMs: roundDist(distribution(enforced)),
    slowestAgentPerRoundMs: roundDist(distribution(slowestPerRound)),
    load: m.loadAverage,
  };
  console.log(
    `\n${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load ${m.loadAverage.join(' ')}, console on ${result.store}, ${ROUNDS} rounds × ${AGENTS.length} agents`,
  );
  console.log(
    table(
      ['measure', 'p50', 'p95', 'p99', 'max'],
      [
        ['console answers POST /api/v1/isolations (scope fleet)', ...['p50', 'p95', 'p99', 'max'].map((k) => `${result.consoleAnsweredMs[k as 'p50']} ms`)],
        [
          'request sent → 403 on an agent (every agent, every round)',
          ...['p50', 'p95', 'p99', 'max'].map((k) => `${result.enforcedPerAgentMs[k as 'p50']} ms`),
        ],
        ['request sent → 403 on the slowest agent of the round', ...['p50', 'p95', 'p99', 'max'].map((k) => `${result.slowestAgentPerRoundMs[k as 'p50']} ms`)],
      ],
    ),
  );
  writeResult('fleet-isolation', result);
  await runCleanups();
}

runBenchmark({ name: 'fleet-isolation', hardLimitMs: 10 * 60_000, main });
