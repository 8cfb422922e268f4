// Agents' events into the console's chain: a console worker process and three agents speaking the
// real `/fleet` protocol (enrolled with their own keys, one batch in flight each, as the agent's
// outbox sends). Three phases on the same console:
//   anchor     three clients posting 500-event batches to the same console's ingest API (answered once
//              committed): the worker's existing way into the chain, which the fleet path is compared with;
//   saturated  every agent sends 500-event batches back to back: events/s committed and acknowledged;
//   paced      every agent makes --rate events/s and sends what it has every 20 ms: ingest lag per
//              event, from when it was made to the console's acknowledgement that it is committed.
//
//   node --import tsx bench/fleet-events.ts [--seconds 10] [--rate 200] [--postgres]
import { MAX_FLEET_EVENT_BATCH, type FleetEvent } from '@/lib/fleet/fleet-events-api';
import { createEnrollment, startConsoleProcess, stopProcess } from '@/server/test-support/fleet';
import { makeFleetEvents, ProtocolAgent } from '@/server/test-support/fleet-protocol-agent';
import { createTestDatabase } from '@/server/test-support/postgres';
import { api } from '@/server/test-support/http';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { TEST_API_TOKEN } from '@/server/test-support/worker-env';
import { distribution, fmtInt, intArg, machineInfo, monoMs, parseArgs, roundDist, table, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const SECONDS = intArg(args, 'seconds', 10);
const RATE = intArg(args, 'rate', 200);
const POSTGRES = args.has('postgres');
const AGENTS = 3;

/** The anchor, on the same console: three clients posting 500-event batches to its ingest API, each waiting for its answer (given once committed). */
async function anchorPerSecond(port: number): Promise<number> {
  const startedAt = monoMs();
  const endAt = startedAt + SECONDS * 1000;
  const counts = await Promise.all(
    Array.from({ length: AGENTS }, async () => {
      let events = 0;
      while (monoMs() < endAt) {
        const batch = Array.from({ length: MAX_FLEET_EVENT_BATCH }, (_, i) => ({ type: 'request', name: `event ${i}`, source: '203.0.113.5' }));
        const answer = await api(port, '/api/v1/events', { method: 'POST', token: TEST_API_TOKEN, json: { events: batch } });
        if (answer.status !== 202) throw new Error(`POST /api/v1/events answered ${answer.status}: ${answer.text}`);
        events += batch.length;
      }
      return events;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0) / ((monoMs() - startedAt) / 1000);
}

/** One agent sending full batches back to back until `endAt`; returns the batches' round trips. */
async function saturate(agent: ProtocolAgent, from: number, endAt: number): Promise<{ acked: number; rttMs: number[] }> {
  const rttMs: number[] = [];
  let acked = from;
  while (monoMs() < endAt) {
    const sentAt = monoMs();
    const answer = await agent.send(acked, makeFleetEvents(acked + 1, MAX_FLEET_EVENT_BATCH));
    if (!answer.ok) throw new Error(`host ${agent.hostId}: ${answer.error}`);
    rttMs.push(monoMs() - sentAt);
    acked = answer.ackedSeq;
  }
  return { acked, rttMs };
}

/** One agent making `RATE` events/s and sending what it has every 20 ms, one batch in flight; returns each event's lag. */
async function paced(agent: ProtocolAgent, from: number, endAt: number): Promise<{ acked: number; lagMs: number[] }> {
  const lagMs: number[] = [];
  const startedAt = monoMs();
  let made = 0;
  let acked = from;
  const madeAt: number[] = [];
  for (;;) {
    const now = monoMs();
    const due = Math.floor(((Math.min(now, endAt) - startedAt) / 1000) * RATE);
    for (; made < due; made++) madeAt.push(startedAt + (made / RATE) * 1000);
    const pending = madeAt.length - (acked - from);
    if (pending === 0 && now >= endAt) return { acked, lagMs };
    if (pending === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    const count = Math.min(pending, MAX_FLEET_EVENT_BATCH);
    const events: FleetEvent[] = makeFleetEvents(acked + 1, count);
    const answer = await agent.send(acked, events);
    if (!answer.ok) throw new Error(`host ${agent.hostId}: ${answer.error}`);
    const ackedAt = monoMs();
    for (let seq = acked + 1; seq <= answer.ackedSeq; seq++) lagMs.push(ackedAt - madeAt[seq - from - 1]);
    acked = answer.ackedSeq;
    if (count < MAX_FLEET_EVENT_BATCH) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const store = POSTGRES ? 'postgresql' : 'sqlite';

  const tmp = makeTempDir('vigil-bench-fleet-events-');
  addCleanup(() => tmp.remove());
  const database = POSTGRES ? await createTestDatabase() : null;
  if (database) addCleanup(() => database.drop());
  const consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console'), databaseUrl: database?.url });
  addCleanup(() => stopProcess(consoleProcess));
  const token = await createEnrollment(consoleProcess.port, { labels: { bench: 'events' }, uses: AGENTS, expiresInMinutes: 10 });
  const agents = await Promise.all(Array.from({ length: AGENTS }, (_, i) => ProtocolAgent.enroll(consoleProcess.port, token, `bench${i + 1}`)));
  for (const agent of agents) addCleanup(() => agent.close());

  const loadBefore = machineInfo().loadAverage;
  const anchor = await anchorPerSecond(consoleProcess.port);
  const saturatedStart = monoMs();
  const saturated = await Promise.all(agents.map((agent) => saturate(agent, 0, saturatedStart + SECONDS * 1000)));
  const saturatedSeconds = (monoMs() - saturatedStart) / 1000;
  const saturatedEvents = saturated.reduce((sum, s) => sum + s.acked, 0);
  const pacedEnd = monoMs() + SECONDS * 1000;
  const pacedRuns = await Promise.all(agents.map((agent, i) => paced(agent, saturated[i].acked, pacedEnd)));
  const m = machineInfo();

  const result = {
    store,
    agents: AGENTS,
    seconds: SECONDS,
    anchorAppendPerSecond: Math.round(anchor),
    saturatedEventsPerSecond: Math.round(saturatedEvents / saturatedSeconds),
    saturatedBatchRoundTripMs: roundDist(distribution(saturated.flatMap((s) => s.rttMs))),
    pacedRatePerAgent: RATE,
    pacedLagMs: roundDist(distribution(pacedRuns.flatMap((r) => r.lagMs))),
    loadBefore,
    loadAfter: m.loadAverage,
  };
  console.log(`\n${m.cpus} CPU ${m.cpuModel}, node ${m.node}, load ${loadBefore.join(' ')} → ${m.loadAverage.join(' ')}, console on ${store}`);
  console.log(
    table(
      ['measure', 'value'],
      [
        [`anchor: ${AGENTS} clients posting 500-event batches to the console's ingest API`, `${fmtInt(result.anchorAppendPerSecond)} events/s`],
        [`${AGENTS} agents, back to back: committed and acknowledged`, `${fmtInt(result.saturatedEventsPerSecond)} events/s`],
        ['  batch round trip p50 / p99', `${result.saturatedBatchRoundTripMs.p50} / ${result.saturatedBatchRoundTripMs.p99} ms`],
        [
          `${AGENTS} agents × ${RATE} events/s: ingest lag p50 / p99 / max`,
          `${result.pacedLagMs.p50} / ${result.pacedLagMs.p99} / ${result.pacedLagMs.max} ms`,
        ],
      ],
    ),
  );
  writeResult(`fleet-events-${store}`, result);
  await runCleanups();
}

runBenchmark({ name: 'fleet-events', hardLimitMs: 10 * 60_000, main });
