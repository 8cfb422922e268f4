// The sides the guard benchmark compares, run in turns round after round (bench/guard-check.ts).
import os from 'node:os';
import { processCpuMs } from './common';
import { runWrk, type WrkResult } from './wrk';

/** A server answering /guard/check (or anything, for the bare ceiling) and the processes whose CPU it costs. */
export interface Side {
  name: 'ceiling' | 'inWorker' | 'dedicated';
  port: () => number;
  /** The process that answers. */
  pid: () => number;
  /** Another process the answers cost CPU in (the worker counting what a guard process passed). */
  alsoPid?: () => number;
}

export interface SideRun {
  result: WrkResult;
  /** CPU time (user + system) of the answering process per request answered. */
  cpuUs: number;
  /** The same for `alsoPid`, when the side has one. */
  alsoCpuUs?: number;
}

export interface Round {
  round: number;
  /** The 1-minute load average as the round started: the machine is shared. */
  loadBefore: number;
  sides: Record<Side['name'], SideRun>;
}

export const round2 = (value: number): number => Math.round(value * 100) / 100;
export const loadAverage = (): number => round2(os.loadavg()[0]);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One wrk run against a side, with the CPU its processes spent per request answered. */
export async function runSide(side: Side, options: Omit<Parameters<typeof runWrk>[0], 'url'>): Promise<SideRun> {
  const pid = side.pid();
  const alsoPid = side.alsoPid?.();
  const before = processCpuMs(pid);
  const alsoBefore = alsoPid === undefined ? 0 : processCpuMs(alsoPid);
  const result = await runWrk({ ...options, url: `http://127.0.0.1:${side.port()}/guard/check` });
  const requests = result.requestsPerSecond * options.seconds;
  const perRequest = (ms: number) => round2((ms * 1000) / requests);
  return {
    result,
    cpuUs: perRequest(processCpuMs(pid) - before),
    ...(alsoPid !== undefined && { alsoCpuUs: perRequest(processCpuMs(alsoPid) - alsoBefore) }),
  };
}

/** Every side in turn, `rounds` times, so a change in the machine's load hits all of them alike. */
export async function interleave(
  sides: Side[],
  rounds: number,
  options: Omit<Parameters<typeof runWrk>[0], 'url'>,
  report: (round: Round) => void,
): Promise<Round[]> {
  const done: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const loadBefore = loadAverage();
    const results = {} as Round['sides'];
    for (const side of sides) results[side.name] = await runSide(side, options);
    const entry = { round, loadBefore, sides: results };
    done.push(entry);
    report(entry);
  }
  return done;
}

/** Medians over rounds of what `pick` reads from each side's run. */
export function medians(rounds: Round[], pick: (run: SideRun) => number | undefined): Record<Side['name'], number> {
  const of = (name: Side['name']) => round2(median(rounds.map((r) => pick(r.sides[name]) ?? 0)));
  return { ceiling: of('ceiling'), inWorker: of('inWorker'), dedicated: of('dedicated') };
}
