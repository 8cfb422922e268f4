// The measured phases of bench/fleet-load.ts, over the simulated agents' processes.
import { api } from '@/server/test-support/http';
import { queryPostgres } from '@/server/test-support/postgres';
import { TEST_API_TOKEN } from '@/server/test-support/worker-env';
import { ELSEWHERE } from './common';
import type { AgentsReport } from './fleet-load-agents';
import { usageOf, type AgentsProcess } from './fleet-load-console';

export const epochMs = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything the agents' processes saw since the last collection, merged. */
export interface FleetSample {
  hosts: AgentsReport['hosts'];
  ackLagMs: number[];
  welcomes: number[];
  connected: number;
  isolations: Map<string, number[]>;
  isolateCalls: number;
}

export async function collect(processes: AgentsProcess[]): Promise<FleetSample> {
  const reports = await Promise.all(processes.map((p) => p.ask<AgentsReport>({ kind: 'collect' })));
  const isolations = new Map<string, number[]>();
  for (const report of reports)
    for (const [source, times] of Object.entries(report.isolations)) isolations.set(source, [...(isolations.get(source) ?? []), ...times]);
  return {
    hosts: reports.flatMap((r) => r.hosts),
    ackLagMs: reports.flatMap((r) => r.ackLagMs),
    welcomes: reports.flatMap((r) => r.welcomes),
    connected: reports.reduce((sum, r) => sum + r.connected, 0),
    isolations,
    isolateCalls: reports.reduce((sum, r) => sum + r.isolateCalls, 0),
  };
}

/** Collects every `everyMs` until `done` holds for the merged samples, or throws after `timeoutMs`. */
export async function collectUntil(
  processes: AgentsProcess[],
  done: (latest: FleetSample, all: FleetSample[]) => boolean,
  { timeoutMs, everyMs = 250, what }: { timeoutMs: number; everyMs?: number; what: string },
): Promise<FleetSample[]> {
  const deadline = epochMs() + timeoutMs;
  const all: FleetSample[] = [];
  for (;;) {
    const latest = await collect(processes);
    all.push(latest);
    if (done(latest, all)) return all;
    if (epochMs() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await pause(everyMs);
  }
}

/** CPU % (of one core) and peak RSS of each process over a window in which `during` runs. */
export async function usageDuring<T>(pids: number[], during: () => Promise<T>): Promise<{ value: T; cpuPercent: number[]; rssMiB: number[]; seconds: number }> {
  const before = pids.map(usageOf);
  const startedAt = epochMs();
  const peakRss = before.map((u) => u.rssMiB);
  const sampler = setInterval(() => pids.forEach((pid, i) => (peakRss[i] = Math.max(peakRss[i], usageOf(pid).rssMiB))), 1000);
  try {
    const value = await during();
    const seconds = (epochMs() - startedAt) / 1000;
    const after = pids.map(usageOf);
    return { value, cpuPercent: after.map((u, i) => Math.round((u.cpuMs - before[i].cpuMs) / seconds / 10)), rssMiB: peakRss, seconds };
  } finally {
    clearInterval(sampler);
  }
}

/** One fleet-wide isolation per round on `consolePort`; per agent, request sent → its guard holds it. */
export async function isolationRounds(
  processes: AgentsProcess[],
  consolePort: number,
  { rounds, agents }: { rounds: number; agents: number },
): Promise<{ latenciesMs: number[]; elsewhereMs: number[]; slowestPerRoundMs: number[]; reachedPerRound: number[] }> {
  const latenciesMs: number[] = [];
  const elsewhereMs: number[] = [];
  const slowestPerRoundMs: number[] = [];
  const reachedPerRound: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const source = `198.18.${Math.floor(round / 250)}.${(round % 250) + 1}`;
    const sentAt = epochMs();
    const answer = await api(consolePort, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source, reason: 'fleet load benchmark', scope: 'fleet', duration: '1h' },
    });
    if (answer.status !== 201) throw new Error(`POST /api/v1/isolations answered ${answer.status}: ${answer.text}`);
    const arrived: number[] = [];
    await collectUntil(
      processes,
      (latest) => {
        arrived.push(...(latest.isolations.get(source) ?? []));
        elsewhereMs.push(...(latest.isolations.get(`${source}${ELSEWHERE}`) ?? []).map((at) => at - sentAt));
        return arrived.length >= agents || epochMs() - sentAt > 10_000;
      },
      { timeoutMs: 20_000, everyMs: 100, what: `isolation ${source}` },
    );
    const latencies = arrived.map((at) => at - sentAt);
    latenciesMs.push(...latencies);
    reachedPerRound.push(arrived.length);
    slowestPerRoundMs.push(Math.max(...latencies));
  }
  return { latenciesMs, elsewhereMs, slowestPerRoundMs, reachedPerRound };
}

/** The console's own record: per host, its agents' events in the chain, and made → committed (receivedAt − at) percentiles over a window. */
export async function consoleRecord(
  databaseUrl: string,
  window: { from: Date; to: Date },
): Promise<{ perHost: Map<number, number>; lagMs: { p50: number; p99: number; max: number; count: number } }> {
  const rows = await queryPostgres<{ hostId: number; events: string }>(
    databaseUrl,
    `SELECT "hostId", count(*) AS events FROM "AuditEvent" WHERE "hostId" <> 1 AND type = 'app.request' GROUP BY "hostId"`,
  );
  const [lag] = await queryPostgres<{ p50: number; p99: number; max: number; count: string }>(
    databaseUrl,
    `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max, count(*) AS count
       FROM (SELECT EXTRACT(EPOCH FROM ("receivedAt" - "at")) * 1000 AS ms FROM "AuditEvent"
              WHERE "hostId" <> 1 AND type = 'app.request' AND "at" >= $1 AND "at" < $2) AS lags`,
    [window.from, window.to],
  );
  return {
    perHost: new Map(rows.map((row) => [row.hostId, Number(row.events)])),
    lagMs: { p50: Math.round(Number(lag.p50)), p99: Math.round(Number(lag.p99)), max: Math.round(Number(lag.max)), count: Number(lag.count) },
  };
}

/** Welcomes per second from `fromMs`, as `second: count` for the seconds that had any. */
export function perSecond(times: number[], fromMs: number): Array<[number, number]> {
  const counts = new Map<number, number>();
  for (const at of times) {
    const second = Math.floor((at - fromMs) / 1000);
    counts.set(second, (counts.get(second) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]);
}
