// What the live-latency benchmark stamps on each emitted snapshot, and the IPC
// messages it exchanges with bench/live-clients.ts.

/** Extra field carried by benchmark snapshots (JSON keeps the extra property). */
export interface BenchStamp {
  seq: number;
  /** CLOCK_MONOTONIC in ms (process.hrtime): system-wide, so exact across processes on one machine. */
  sentMono: number;
  /** performance.timeOrigin + performance.now(): wall clock with sub-ms resolution (per-process origin). */
  sentWall: number;
  warmup: boolean;
}

export interface Receipt {
  latencyMono: number;
  latencyWall: number;
}

export type ParentToChild = { type: 'start'; url: string; tokens: string[] } | { type: 'finish' };

export type ChildToParent =
  | { type: 'ready'; connected: number }
  | { type: 'progress'; received: number }
  | { type: 'result'; latencyMono: number[]; latencyWall: number[]; perClient: number[]; errors: string[] }
  | { type: 'error'; message: string };

export function stampOf(payload: unknown): BenchStamp | null {
  const stamp = (payload as { bench?: BenchStamp } | null)?.bench;
  return stamp && typeof stamp.sentMono === 'number' ? stamp : null;
}
