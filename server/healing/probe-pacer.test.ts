import { describe, expect, it } from 'vitest';
import { silentLogger } from '../test-support';
import { ProbePacer } from './probe-pacer';
import { failed, type ProbeResult } from './probes/probe-result';
import { STARVED_LAG_MS } from './starvation-monitor';

const pacerFor = () => new ProbePacer({ audit: { append: async () => undefined }, log: silentLogger() });
const timedOut = (): ProbeResult => failed('timeout', 'no answer within 1 s');
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // The worker's own loop is held: nothing else runs meanwhile.
  }
}

describe('probe pacer: the starvation monitor', () => {
  it('ticks only while a probe is out, until the last of several overlapping ones is back', async () => {
    const pacer = pacerFor();
    pacer.start();
    expect(pacer.monitor.running()).toBe(false);

    const seen: boolean[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = pacer.run({
      module: 'a',
      plannedAt: Date.now(),
      probe: async () => {
        seen.push(pacer.monitor.running());
        await firstHeld;
        return { ok: true, latencyMs: 1, message: 'up' };
      },
    });
    await pacer.run({
      module: 'b',
      plannedAt: Date.now(),
      probe: async () => {
        seen.push(pacer.monitor.running());
        return { ok: true, latencyMs: 1, message: 'up' };
      },
    });
    // b is back, a is still out.
    expect(pacer.monitor.running()).toBe(true);
    releaseFirst();
    await first;
    expect(seen).toEqual([true, true]);
    expect(pacer.monitor.running()).toBe(false);
  });

  it('still sees a stall of the loop while a probe is out and sets its timeout aside', async () => {
    const pacer = pacerFor();
    pacer.start();
    const { starvation, result } = await pacer.run({
      module: 'a',
      plannedAt: Date.now(),
      probe: async () => {
        await nextTurn();
        busyWait(STARVED_LAG_MS + 100);
        return timedOut();
      },
    });
    expect(starvation?.lagMs).toBeGreaterThan(STARVED_LAG_MS);
    expect(result.ok).toBe(false);
    expect(pacer.monitor.running()).toBe(false);
  });

  it('a stopped pacer starts no monitor for a probe that comes after', async () => {
    const pacer = pacerFor();
    pacer.start();
    pacer.stop();
    let running: boolean | null = null;
    await pacer.run({
      module: 'a',
      plannedAt: Date.now(),
      probe: async () => {
        running = pacer.monitor.running();
        return timedOut();
      },
    });
    expect(running).toBe(false);
    expect(pacer.monitor.running()).toBe(false);
  });
});
