// Agents' events into the console's chain: a console worker process and three agents speaking the
// real `/fleet` protocol (enrolled with their own keys, one batch in flight each, as the agent's
// outbox sends). Three phases on the same console:
//   anchor     the chained append of 500-event batches straight into a fresh database of the same kind
//              (appendAuditBatch, this process), the ceiling the fleet path is compared with;
//   saturated  every agent sends 500-event batches back to back: events/s committed and acknowledged;
//   paced      every agent makes --rate events/s and sends what it has every 20 ms: ingest lag per
//              event, from when it was made to the console's acknowledgement that it is committed.
//
//   node --import tsx bench/fleet-events.ts [--seconds 10] [--rate 1000] [--postgres]
import { MAX_FLEET_EVENT_BATCH, type FleetEvent } from '@/lib/fleet/fleet-events-api';
import { toPendingEvent } from '@/server/audit/pending-event';
import { appendAuditBatch } from '@/server/queries/audit';
import { createMigratedDatabase } from '@/server/test-support/databases';
import { createEnrollment, startConsoleProcess, stopProcess } from '@/server/test-support/fleet';
import { makeFleetEvents, ProtocolAgent } from '@/server/test-support/fleet-protocol-agent';
import { createTestDatabase } from '@/server/test-support/postgres';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { distribution, fmtInt, intArg, machineInfo, monoMs, parseArgs, roundDist, table, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const SECONDS = intArg(args, 'seconds', 10);
const RATE = intArg(args, 'rate', 1000);
const POSTGRES = args.has('postgres');
const AGENTS = 3;

async function anchorPerSecond(): Promise<number> {
  const db = await createMigratedDatabase(POSTGRES ? 'postgresql' : 'sqlite');
  try {
    let events = 0;
    const endAt = monoMs() + SECONDS * 1000;
    let head = undefined as Parameters<typeof appendAuditBatch>[2];
    const startedAt = monoMs();
    while (monoMs() < endAt) {
      const batch = Array.from({ length: MAX_FLEET_EVENT_BATCH }, (_, i) =>
        toPendingEvent({ type: 'app.request', severity: 'info', actor: 'app', action: `event ${i}`, source: '203.0.113.5', details: { status: 200 } }),
      );
      const linked = await appendAuditBatch(db.database, batch, head);
      head = { seq: linked[linked.length - 1].seq, hash: linked[linked.length - 1].hash };
      events += linked.length;
    }
    return events / ((monoMs() - startedAt) / 1000);
  } finally {
    await db.destroy();
  }
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
  const anchor = await anchorPerSecond();

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
        ['anchor: chained append, 500-event batches, this process', `${fmtInt(result.anchorAppendPerSecond)} events/s`],
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
