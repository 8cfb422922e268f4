import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failed } from './probes/probe-result';
import { nextSlotAt, phaseOffsetMs, ProbeGate } from './probe-timing';
import { starvationOf, withoutOwnLag } from './starved-probes';

describe('probe slots', () => {
  it("the next slot is after the given time, within one interval, and at the module's own phase", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1000, max: 3_600_000 }),
        fc.integer({ min: 0, max: 2 ** 42 }),
        (name, intervalMs, after) => {
          const slot = nextSlotAt(name, intervalMs, after);
          expect(slot).toBeGreaterThan(after);
          expect(slot - after).toBeLessThanOrEqual(intervalMs);
          expect(((slot % intervalMs) + intervalMs) % intervalMs).toBe(phaseOffsetMs(name, intervalMs));
        },
      ),
    );
  });

  it('spreads 2,000 similar names over the interval: no 100 ms of a 10 s interval holds more than 4x its share', () => {
    const buckets = new Array<number>(100).fill(0);
    for (let i = 0; i < 2000; i++) buckets[Math.floor(phaseOffsetMs(`load-${i}`, 10_000) / 100)] += 1;
    expect(Math.max(...buckets)).toBeLessThanOrEqual(80);
  });

  it('runs at most `limit` tasks at once and every queued one after all', async () => {
    const gate = new ProbeGate(3);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 20 }, () => gate.run(task)));
    expect(peak).toBe(3);
    expect(gate.inFlight).toBe(0);
  });
});

describe('probes while the worker is starved', () => {
  const timeout = failed('timeout', 'no answer within 1000 ms');

  it('only a timeout can be inconclusive, and only with a stall or a late start', () => {
    expect(starvationOf({ result: timeout, lagMs: 900, lateMs: 0 })).toEqual({ lagMs: 900, lateMs: 0 });
    expect(starvationOf({ result: timeout, lagMs: 20, lateMs: 1500 })).toEqual({ lagMs: 0, lateMs: 1500 });
    expect(starvationOf({ result: timeout, lagMs: 20, lateMs: 5 })).toBeNull();
    expect(starvationOf({ result: failed('connection_refused', 'connection refused'), lagMs: 900, lateMs: 1500 })).toBeNull();
  });

  it("takes the worker's own stall out of an answer's latency, never below zero", () => {
    expect(withoutOwnLag({ ok: true, latencyMs: 140, message: 'HTTP 200' }, 100).latencyMs).toBe(40);
    expect(withoutOwnLag({ ok: true, latencyMs: 3, message: 'HTTP 200' }, 100).latencyMs).toBe(0);
    expect(withoutOwnLag({ ok: true, latencyMs: 3, message: 'HTTP 200' }, 0).latencyMs).toBe(3);
  });
});
