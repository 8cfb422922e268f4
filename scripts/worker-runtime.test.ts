// The node flags and environment the launcher gives the worker: accepted by this node, in effect,
// and never overriding what the operator set.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../server/test-support';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { WORKER_NODE_FLAGS, workerArgs, workerEnv } from './lib/worker-runtime.mjs';

// Allocates short-lived garbage as start-up does, then reports the young generation's size.
const YOUNG_GENERATION_AFTER_CHURN = `
const v8 = require('node:v8');
let keep = [];
for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 5e4) keep = []; }
const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
process.stdout.write(String(young.space_size));
`;

describe('the worker runtime settings', () => {
  it('are flags this node accepts, and they keep the young generation small', () => {
    const withFlags = spawnSync(process.execPath, [...WORKER_NODE_FLAGS, '-e', YOUNG_GENERATION_AFTER_CHURN], { encoding: 'utf8' });
    expect(withFlags.status, withFlags.stderr).toBe(0);
    const without = spawnSync(process.execPath, ['-e', YOUNG_GENERATION_AFTER_CHURN], { encoding: 'utf8' });
    expect(without.status, without.stderr).toBe(0);
    expect(Number(withFlags.stdout)).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(Number(withFlags.stdout)).toBeLessThan(Number(without.stdout));
  });

  it('start the compiled worker entry after the flags', () => {
    const args = workerArgs(REPO_ROOT) as string[];
    expect(args.slice(0, -1)).toEqual(WORKER_NODE_FLAGS);
    expect(args.at(-1)).toMatch(/dist[\\/]worker\.mjs$/);
  });

  it("set glibc's malloc (two arenas, fixed trim and mmap thresholds) unless the operator chose a value", () => {
    const malloc = { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TOP_PAD_: '0' };
    expect(workerEnv({ PATH: '/usr/bin' })).toEqual({ PATH: '/usr/bin', ...malloc });
    expect(workerEnv({ MALLOC_ARENA_MAX: '8', MALLOC_TOP_PAD_: '65536' })).toEqual({ ...malloc, MALLOC_ARENA_MAX: '8', MALLOC_TOP_PAD_: '65536' });
  });
});
