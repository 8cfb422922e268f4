// How the launcher runs the worker process: the node flags and environment that keep an idle
// worker small. Each was measured on its own against the compiled worker after 10 s idle on
// SQLite, and for its cost on Prisma queries (BENCHMARKS.md, "Start-up"); the benchmarks and the
// compiled-worker test spawn the worker with these same settings.
import { bundleEntry } from './bundle.mjs';

export const WORKER_NODE_FLAGS = [
  // V8 grows the young generation to 2 × 16 MiB under start-up's allocation and keeps it while
  // idle: ~25 MiB of resident memory. A 1 MiB semi-space means more, smaller scavenges; measured
  // at 6-12 % more CPU per Prisma query, back to back (median of 3).
  '--max-semi-space-size=1',
  // Prisma's query compiler is WebAssembly. V8 recompiles its hot functions with TurboFan and
  // keeps both codes and the compiler's memory: ~10 MiB. Liftoff alone measured no slower per
  // query (the plan compiler is a small part of a query next to SQLite and the JavaScript around it).
  '--liftoff-only',
];

/**
 * glibc's malloc, which holds ~9 MiB of the idle worker. Each thread that allocates gets its own
 * arena: the worker's threads (libuv, V8's platform) left ~4 MiB in them, hence two at most.
 * glibc also keeps freed memory at the top of its heap, and raises its trim and mmap thresholds
 * as large blocks come and go (up to 32 MiB), so what start-up freed stays resident; fixed
 * thresholds of 128 KiB with no extra top padding hand it back: measured 85.8 → 83.6 MiB
 * (median of 6 and 9 runs, 10 s idle). The cost: blocks above 128 KiB are always mmap'd.
 */
export const WORKER_ENV_DEFAULTS = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TOP_PAD_: '0' };

/** The arguments after `node` that start the compiled worker. */
export const workerArgs = (root) => [...WORKER_NODE_FLAGS, bundleEntry(root, 'worker')];

/** The worker's environment: the defaults above unless the operator set them. */
export const workerEnv = (env) => ({ ...WORKER_ENV_DEFAULTS, ...env });
