// The lifecycle every benchmark script shares: undo steps that also run on Ctrl-C, a hard
// time limit, and one way of reporting a failed run.

const cleanups: Array<() => unknown> = [];

/** Registers an undo step (run last-in, first-out); returns a function that drops it again. */
export function addCleanup(step: () => unknown): () => void {
  cleanups.push(step);
  return () => {
    const at = cleanups.indexOf(step);
    if (at >= 0) cleanups.splice(at, 1);
  };
}

/** Runs and drops every registered undo step; a failing step is reported and the rest still run. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()!();
    } catch (error) {
      process.stderr.write(`cleanup: ${(error as Error).message}\n`);
    }
  }
}

export interface BenchmarkRun {
  /** Prefix of the messages written on failure, e.g. `audit-append`. */
  name: string;
  /** Cleans up and exits with 1 once the run takes this long (bench/run-all.ts has a time budget per script). */
  hardLimitMs?: number;
  main: () => Promise<void>;
}

/** Starts `main`; on Ctrl-C/SIGTERM, on the hard limit or on a failure the undo steps run first. */
export function runBenchmark({ name, hardLimitMs, main }: BenchmarkRun): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void runCleanups().finally(() => process.exit(130)));
  }
  const hardStop =
    hardLimitMs === undefined
      ? undefined
      : setTimeout(() => {
          console.error(`${name}: hard time limit (${hardLimitMs / 1000} s) reached; cleaning up`);
          void runCleanups().finally(() => process.exit(1));
        }, hardLimitMs).unref();
  main()
    .catch(async (error: unknown) => {
      console.error(`${name}:`, error);
      await runCleanups();
      process.exitCode = 1;
    })
    .finally(() => clearTimeout(hardStop));
}
