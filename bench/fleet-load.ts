// A fleet of simulated agents against console workers on PostgreSQL. Every simulated agent runs
// the agent's own client code (bench/lib/fleet-load-agents.ts): enrolled with its own key pair,
// connected over the real `/fleet` protocol, a heartbeat every 5 s, 2 events/s through its outbox
// (one batch in flight, acknowledged once committed), guard signals counted in its tally and
// reported every 100 ms. The agents run in --procs child processes; the console is what is measured:
//   steady      console CPU % and RSS; ingest lag (made at the agent → committed, from the
//               console's own receivedAt, and → acknowledged, at the agent);
//   isolation   POST /api/v1/isolations {"scope":"fleet"}: request sent → held by each agent's guard;
//   restart     the console stopped with SIGTERM, then with kill -9, and started again on the same
//               port: time until every agent is welcomed again, welcomes per second;
//   lost        every event each agent made (during all of the above) against what the console's
//               chain holds for that host, after the agents drained.
// With --replicas 2, two HA console workers share the database and the agents alternate between them.
//
//   node --import tsx bench/fleet-load.ts [--agents 1000] [--procs 2] [--seconds 60] [--rounds 20] [--replicas 1] [--signals 1] [--port 41200] [--cpu-prof DIR]
import { createTestDatabase } from '@/server/test-support/postgres';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { createEnrollment } from '@/server/test-support/fleet';
import { distribution, intArg, machineInfo, parseArgs, roundDist, table, writeResult, type Distribution } from './lib/common';
import { AgentsProcess, startConsole, stopConsole, type ConsoleWorker } from './lib/fleet-load-console';
import { collect, collectUntil, consoleRecord, epochMs, isolationRounds, perSecond, usageDuring } from './lib/fleet-load-phases';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const AGENTS = intArg(args, 'agents', 1000);
const PROCS = intArg(args, 'procs', 2);
const SECONDS = intArg(args, 'seconds', 60);
const ROUNDS = intArg(args, 'rounds', 20);
const REPLICAS = intArg(args, 'replicas', 1);
const BASE_PORT = intArg(args, 'port', 41200);
const CPU_PROF = args.get('cpu-prof');
/** Guard signals per agent and second, counted and reported every 100 ms as the agent does. */
const SIGNALS = intArg(args, 'signals', 1);
const WARMUP_SECONDS = 15;
const RESTART_WAIT_MS = 60_000;

const ms = (d: Distribution) => `${d.p50} / ${d.p99} / ${d.max} ms`;

async function restart(consoleWorker: ConsoleWorker, signal: NodeJS.Signals, processes: AgentsProcess[], start: () => Promise<ConsoleWorker>) {
  await collect(processes);
  const killedAt = epochMs();
  const stopped = await stopConsole(consoleWorker, signal);
  const restarted = await start();
  // Stopped at the end of the run whatever happens next.
  addCleanup(() => stopConsole(restarted));
  const listeningAt = epochMs();
  // Not an error when some stay away: how many came back, and when, is the result.
  const samples = await collectUntil(processes, (latest) => latest.connected === AGENTS || epochMs() - listeningAt > RESTART_WAIT_MS, {
    timeoutMs: RESTART_WAIT_MS + 60_000,
    everyMs: 200,
    what: `agents back after ${signal}`,
  });
  const welcomes = samples.flatMap((s) => s.welcomes);
  const lastWelcome = Math.max(...welcomes);
  const backAtEnd = samples[samples.length - 1].connected;
  return {
    restarted,
    result: {
      signal,
      exitedAfterMs: stopped.exitedMs,
      killedAfterGrace: stopped.killed,
      consoleDownMs: Math.round(listeningAt - killedAt),
      welcomes: welcomes.length,
      backAtEnd,
      allBackAfterListeningMs: Math.round(lastWelcome - listeningAt),
      welcomesPerSecondAfterListening: perSecond(welcomes, listeningAt),
    },
  };
}

async function main(): Promise<void> {
  const tmp = makeTempDir('vigil-bench-fleet-load-');
  addCleanup(() => tmp.remove());
  const database = await createTestDatabase();
  addCleanup(() => database.drop());
  const startReplica = (i: number) =>
    startConsole({ node: `console${i + 1}`, port: BASE_PORT + i, baseDir: tmp.path, databaseUrl: database.url, ha: REPLICAS > 1, cpuProfDir: CPU_PROF });
  const consoles: ConsoleWorker[] = [];
  for (let i = 0; i < REPLICAS; i++) consoles.push(await startReplica(i));
  addCleanup(() => Promise.all(consoles.map((c) => stopConsole(c))));
  const token = await createEnrollment(consoles[0].port, { labels: { bench: 'load' }, uses: Math.min(10_000, AGENTS * 2), expiresInMinutes: 60 });

  const processes = Array.from({ length: PROCS }, () => new AgentsProcess());
  addCleanup(() => Promise.all(processes.map((p) => p.stop())));
  const names = Array.from({ length: AGENTS }, (_, i) => `load${String(i + 1).padStart(4, '0')}`);
  const startedAt = epochMs();
  await Promise.all(
    processes.map((p, i) =>
      p.ask(
        {
          kind: 'start',
          // Agent j of process i is agent i + j·PROCS of the fleet, so replicas get alternate agents.
          consoleUrls: consoles.map((c) => `http://127.0.0.1:${c.port}`),
          token,
          names: names.filter((_, j) => j % PROCS === i),
          dataDir: tmp.join('agents'),
          eventsPerSecond: 2,
          signalsPerSecond: SIGNALS,
          heartbeatMs: 5000,
          countsMs: 100,
        },
        1_800_000,
      ),
    ),
  );
  await collectUntil(processes, (latest) => latest.connected === AGENTS, { timeoutMs: 120_000, what: 'every agent connected' });
  const enrolledSeconds = Math.round((epochMs() - startedAt) / 1000);
  const loadBefore = machineInfo().loadAverage;

  await Promise.all(processes.map((p) => p.ask({ kind: 'pace', making: true })));
  await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
  await collect(processes);
  const steadyFrom = new Date();
  const consolePids = consoles.map((c) => c.running.child.pid!);
  const steady = await usageDuring([...consolePids, ...processes.map((p) => p.pid)], async () => {
    const lags: number[] = [];
    const until = epochMs() + SECONDS * 1000;
    while (epochMs() < until) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      lags.push(...(await collect(processes)).ackLagMs);
    }
    return lags;
  });
  const steadyTo = new Date();
  const loadSteady = machineInfo().loadAverage;
  const isolation = await usageDuring(consolePids, () => isolationRounds(processes, consoles[0].port, { rounds: ROUNDS, agents: AGENTS }));

  console.log(
    JSON.stringify({
      steadyCpuPercent: steady.cpuPercent,
      rssMiB: steady.rssMiB,
      acknowledgedLagMs: roundDist(distribution(steady.value), 0),
      isolationPerAgentMs: roundDist(distribution(isolation.value.latenciesMs), 0),
      reached: isolation.value.reachedPerRound,
      loadSteady,
    }),
  );
  const restarts = [];
  if (REPLICAS === 1) {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const { restarted, result } = await restart(consoles[0], signal, processes, () => startReplica(0));
      consoles[0] = restarted;
      restarts.push(result);
    }
  }

  // Drained: every agent stops making events and waits for the console to hold all it made.
  await Promise.all(processes.map((p) => p.ask({ kind: 'pace', making: false })));
  const [drained] = (
    await collectUntil(processes, (latest) => latest.hosts.every((h) => h.acked === h.made), {
      timeoutMs: 120_000,
      everyMs: 500,
      what: 'every event acknowledged',
    })
  ).slice(-1);
  const record = await consoleRecord(database.url, { from: steadyFrom, to: steadyTo });
  const made = drained.hosts.reduce((sum, h) => sum + h.made, 0);
  const lost = drained.hosts.reduce((sum, h) => sum + Math.max(0, h.made - (record.perHost.get(h.hostId) ?? 0)), 0);
  const doubled = drained.hosts.reduce((sum, h) => sum + Math.max(0, (record.perHost.get(h.hostId) ?? 0) - h.made), 0);
  const isolateCalls = drained.isolateCalls;

  const m = machineInfo();
  const result = {
    agents: AGENTS,
    procs: PROCS,
    replicas: REPLICAS,
    enrolledAndConnectedSeconds: enrolledSeconds,
    steadySeconds: Math.round(steady.seconds),
    consoleCpuPercent: steady.cpuPercent.slice(0, REPLICAS),
    consoleRssMiB: steady.rssMiB.slice(0, REPLICAS),
    agentsProcessesCpuPercent: steady.cpuPercent.slice(REPLICAS),
    committedLagMs: record.lagMs,
    acknowledgedLagMs: roundDist(distribution(steady.value), 0),
    isolationPerAgentMs: roundDist(distribution(isolation.value.latenciesMs), 0),
    isolationSlowestPerRoundMs: roundDist(distribution(isolation.value.slowestPerRoundMs), 0),
    isolationElsewhereMs: REPLICAS > 1 ? roundDist(distribution(isolation.value.elsewhereMs), 0) : null,
    isolationReachedPerRound: isolation.value.reachedPerRound,
    isolationCpuPercent: isolation.cpuPercent,
    restarts,
    eventsMade: made,
    eventsLost: lost,
    eventsDoubled: doubled,
    isolationsTakenByAgents: isolateCalls,
    machine: `${m.cpus} CPU ${m.cpuModel}, node ${m.node}`,
    loadBefore,
    loadSteady,
    loadAfter: m.loadAverage,
  };
  console.log(`\n${result.machine}; load ${loadBefore.join(' ')} → ${loadSteady.join(' ')} (steady) → ${m.loadAverage.join(' ')}`);
  console.log(`${AGENTS} agents in ${PROCS} processes, ${REPLICAS} console worker(s) on PostgreSQL, steady window ${result.steadySeconds} s`);
  console.log(
    table(
      ['measure', 'value'],
      [
        ['console CPU % (of one core) per worker', result.consoleCpuPercent.map((p) => `${p} %`).join(', ')],
        ['simulated agents: CPU % per process', result.agentsProcessesCpuPercent.map((p) => `${p} %`).join(', ')],
        ['console RSS peak per worker', result.consoleRssMiB.map((r) => `${r} MiB`).join(', ')],
        [
          'ingest lag, made → committed (console receivedAt) p50 / p99 / max',
          `${record.lagMs.p50} / ${record.lagMs.p99} / ${record.lagMs.max} ms (${record.lagMs.count} events)`,
        ],
        ['ingest lag, made → acknowledged at the agent p50 / p99 / max', ms(result.acknowledgedLagMs)],
        ['fleet-wide isolation → each agent p50 / p99 / max', ms(result.isolationPerAgentMs)],
        ['fleet-wide isolation → slowest agent of a round p50 / p99 / max', ms(result.isolationSlowestPerRoundMs)],
        ...(result.isolationElsewhereMs ? [['… → each agent held by another replica p50 / p99 / max', ms(result.isolationElsewhereMs)]] : []),
        ['agents reached per round (min)', `${Math.min(...result.isolationReachedPerRound)} of ${AGENTS}`],
        ...restarts.map((r) => [
          `${r.signal}: console down, then all welcomed after it listened`,
          `${r.backAtEnd} of ${AGENTS} back; exited after ${r.exitedAfterMs} ms${r.killedAfterGrace ? ' (killed after 60 s)' : ''}, down ${r.consoleDownMs} ms, all back +${r.allBackAfterListeningMs} ms; peak ${Math.max(...r.welcomesPerSecondAfterListening.map(([, n]) => n))} welcomes/s`,
        ]),
        ['events made / lost / doubled', `${made} / ${lost} / ${doubled}`],
        ['isolations taken by agents (rounds × agents when resends are no-ops)', `${isolateCalls} (${ROUNDS * AGENTS})`],
      ],
    ),
  );
  for (const r of restarts)
    console.log(`${r.signal} welcomes per second after listening: ${r.welcomesPerSecondAfterListening.map(([s, n]) => `${s}s:${n}`).join(' ')}`);
  writeResult(`fleet-load-${REPLICAS}`, result);
  await runCleanups();
}

runBenchmark({ name: 'fleet-load', hardLimitMs: 30 * 60_000, main });
