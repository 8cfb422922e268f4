import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryHeap } from './expiry-heap';

describe('ExpiryHeap', () => {
  it('hands back exactly what is due, soonest first, and keeps the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 1000 }), (times, now) => {
        const heap = new ExpiryHeap<number>();
        times.forEach((at, index) => heap.push(at, index));
        expect(heap.size).toBe(times.length);
        const due = heap.popDue(now);
        expect(due.map((index) => times[index])).toEqual(times.filter((at) => at <= now).sort((a, b) => a - b));
        expect(heap.size).toBe(times.filter((at) => at > now).length);
        const rest = heap.popDue(Infinity).map((index) => times[index]);
        expect(rest).toEqual(times.filter((at) => at > now).sort((a, b) => a - b));
      }),
    );
  });
});
