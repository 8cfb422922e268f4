// Fleet-wide isolation latency: a console worker and three agent workers, each its own process
// (`vigil agent`), on loopback or, with --netns, each agent in its own network namespace with its
// own address on a bridge (as root). Each round isolates a new source with "scope": "fleet" on the
// console and measures, per agent, the time from sending the request to the first 403 of that
// agent's own /guard/check for the source (polled back to back from the moment the request is
// sent, one request in flight per agent; with --netns from this machine's bridge address, which
// the agents trust as a proxy). With --replicas, the console is two replicas on PostgreSQL: the
// first agent is connected to the leader, the others to the standby, and the request goes to the
// standby (which forwards it to the leader, which reaches the standby's agents over the cluster bus).
//
//   node --import tsx bench/fleet-isolation.ts [--rounds 30] [--postgres] [--netns | --replicas]
import { Agent } from 'node:http';
import { api } from '@/server/test-support/http';
import { guardCheck } from '@/server/test-support/guard';
import { createEnrollment, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '@/server/test-support/fleet';
import { guardStatus, startNetnsFleet } from '@/server/test-support/fleet-netns';
import { startPostgresConsole } from '@/server/test-support/fleet-postgres';
import { createTestDatabase } from '@/server/test-support/postgres';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { TEST_API_TOKEN } from '@/server/test-support/worker-env';
import { distribution, intArg, machineInfo, monoMs, parseArgs, roundDist, table, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const ROUNDS = intArg(args, 'rounds', 30);
const POSTGRES = args.has('postgres');
const NETNS = args.has('netns');
const REPLICAS = args.has('replicas');
const AGENTS = ['edge1', 'edge2', 'edge3'];

/** An agent's guard answer for `source`, as its proxy would ask. */
type GuardOf = (source: string) => Promise<number>;

async function firstRefusal(guard: GuardOf, source: string, startedAt: number): Promise<number> {
  const deadline = startedAt + 10_000;
  for (;;) {
    if ((await guard(source)) === 403) return monoMs() - startedAt;
    if (monoMs() > deadline) throw new Error(`an agent did not refuse ${source} within 10 s`);
  }
}

async function onLoopback(dataDir: (name: string) => string, databaseUrl: string | undefined): Promise<{ consolePort: number; guards: GuardOf[] }> {
  const consoleProcess = await startConsoleProcess({ dataDir: dataDir('console'), databaseUrl });
  addCleanup(() => stopProcess(consoleProcess));
  const token = await createEnrollment(consoleProcess.port, { labels: { bench: 'fleet' }, uses: AGENTS.length, expiresInMinutes: 10 });
  const agents = await Promise.all(AGENTS.map((name) => startAgentProcess({ dataDir: dataDir(name), consolePort: consoleProcess.port, token, name })));
  for (const agent of agents) addCleanup(() => stopProcess(agent));
  for (const name of AGENTS) await waitForHost(consoleProcess.port, name, (host) => host.connected, 'connected');
  return {
    consolePort: consoleProcess.port,
    guards: agents.map((agent) => async (source) => (await guardCheck(agent.port, { headers: { 'x-real-ip': source } })).status),
  };
}

async function onReplicas(): Promise<{ consolePort: number; guards: GuardOf[] }> {
  const pg = await startPostgresConsole({ prefix: 'vigil-bench-fleet-replicas-', replicas: 2 });
  addCleanup(() => pg.close());
  const [leader, standby] = pg.replicas as [FleetProcess, FleetProcess];
  const token = await createEnrollment(leader.port, { labels: { bench: 'fleet' }, uses: AGENTS.length, expiresInMinutes: 10 });
  const agents = await Promise.all(
    AGENTS.map((name, i) => startAgentProcess({ dataDir: pg.tmp.join(name), consolePort: (i === 0 ? leader : standby).port, token, name })),
  );
  for (const agent of agents) addCleanup(() => stopProcess(agent));
  for (const name of AGENTS) await waitForHost(leader.port, name, (host) => host.connected, 'connected');
  return {
    consolePort: standby.port,
    guards: agents.map((agent) => async (source) => (await guardCheck(agent.port, { headers: { 'x-real-ip': source } })).status),
  };
}

async function inNamespaces(dataDir: string, databaseUrl: string | undefined): Promise<{ consolePort: number; guards: GuardOf[] }> {
  const fleet = await startNetnsFleet({
    dataDir,
    agents: AGENTS,
    clients: 0,
    databaseUrl,
    agentConfig: (bridgeAddress) => `trustedProxies: ["127.0.0.0/8", "${bridgeAddress}/32"]\n`,
  });
  addCleanup(() => fleet.destroy());
  return {
    consolePort: fleet.console.port,
    guards: fleet.agents.map((agent) => {
      // One kept-alive connection per agent, as a proxy keeps to its auth upstream: the poll then
      // costs a request, not a TCP handshake, on a machine this busy.
      const connection = new Agent({ keepAlive: true, maxSockets: 1 });
      addCleanup(() => connection.destroy());
      return (source) => guardStatus(agent.guardUrl, { 'x-real-ip': source }, connection);
    }),
  };
}

async function main(): Promise<void> {
  const tmp = makeTempDir('vigil-bench-fleet-');
  addCleanup(() => tmp.remove());
  const database = POSTGRES && !REPLICAS ? await createTestDatabase() : null;
  if (database) addCleanup(() => database.drop());
  const { consolePort, guards } = REPLICAS
    ? await onReplicas()
    : NETNS
      ? await inNamespaces(tmp.path, database?.url)
      : await onLoopback((name) => tmp.join(name), database?.url);

  const answered: number[] = [];
  const enforced: number[] = [];
  const slowestPerRound: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const source = `198.18.${Math.floor(round / 250)}.${(round % 250) + 1}`;
    const startedAt = monoMs();
    // Polled from the moment the request is sent, like proxies that keep asking: the agents enforce
    // before the console has stored its own copy and answered, and that is what is measured.
    const refusals = Promise.all(guards.map((guard) => firstRefusal(guard, source, startedAt)));
    const answer = await api(consolePort, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source, reason: 'fleet isolation benchmark', scope: 'fleet', duration: '1h' },
    });
    if (answer.status !== 201) throw new Error(`POST /api/v1/isolations answered ${answer.status}: ${answer.text}`);
    answered.push(monoMs() - startedAt);
    const latencies = await refusals;
    enforced.push(...latencies);
    slowestPerRound.push(Math.max(...latencies));
  }

  const m = machineInfo();
  const result = {
    rounds: ROUNDS,
    agents: AGENTS.length,
    store: POSTGRES || REPLICAS ? 'postgresql' : 'sqlite',
    network: NETNS ? 'namespaces' : 'loopback',
    consoleReplicas: REPLICAS ? 2 : 1,
    consoleAnsweredMs: roundDist(distribution(answered)),
    enforcedPerAgentMs: roundDist(distribution(enforced)),
    slowestAgentPerRoundMs: roundDist(distribution(slowestPerRound)),
    load: m.loadAverage,
  };
  console.log(
    `\n${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load ${m.loadAverage.join(' ')}, console on ${result.store} (${result.consoleReplicas} replica(s)), agents on ${result.network}, ${ROUNDS} rounds × ${AGENTS.length} agents`,
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
