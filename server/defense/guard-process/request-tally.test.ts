import { describe, expect, it } from 'vitest';
import { parseFromGuard } from './from-guard-schema';
import { MAX_BATCH_KEYS, type CountedBatch } from './guard-protocol';
import { RequestTally as Tally } from './request-tally';

/** The tally as the worker sees it: each batch taken, sent, and read through the worker's boundary check. */
class RequestTally extends Tally {
  takePairs(): CountedBatch {
    const parsed = parseFromGuard({ kind: 'requests', at: 1, ...super.take() });
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.message as CountedBatch;
  }
}

const sorted = (requests: Array<[string, string | null, number]>) => [...requests].sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));

describe('RequestTally', () => {
  it('counts per source and path, and starts again after a batch is taken', () => {
    const tally = new RequestTally(() => undefined);
    for (const [source, path] of [
      ['198.51.100.1', '/a'],
      ['198.51.100.1', '/a'],
      ['198.51.100.1', '/b'],
      ['198.51.100.2', undefined],
      ['198.51.100.2', undefined],
    ] as const)
      tally.count(source, path);
    tally.checks = 6;
    tally.denied = 1;
    const batch = tally.takePairs();
    expect(sorted(batch.requests)).toEqual([
      ['198.51.100.1', '/a', 2],
      ['198.51.100.1', '/b', 1],
      ['198.51.100.2', null, 2],
    ]);
    expect([batch.checks, batch.denied]).toEqual([6, 1]);
    expect(tally.empty).toBe(true);
    expect(tally.takePairs().requests).toEqual([]);
  });

  it('keeps every count of a source that scans many paths', () => {
    const tally = new RequestTally(() => undefined);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 50; i++) tally.count('203.0.113.9', `/p${i}`);
    const { requests } = tally.takePairs();
    expect(requests).toHaveLength(50);
    expect(requests.every(([source, , count]) => source === '203.0.113.9' && count === 3)).toBe(true);
  });

  it('asks to be emptied once it holds MAX_BATCH_KEYS pairs, so it never grows past them', () => {
    let full = 0;
    const tally = new RequestTally(() => {
      full++;
      expect(tally.takePairs().requests).toHaveLength(MAX_BATCH_KEYS);
    });
    for (let i = 0; i < MAX_BATCH_KEYS * 2 + 5; i++) tally.count(`10.0.${i >> 8}.${i & 255}`, i % 3 === 0 ? undefined : `/x${i % 20}`);
    expect(full).toBe(2);
    expect(tally.takePairs().requests).toHaveLength(5);
  });

  it('lets its pairs go when no batch can be sent, keeping the totals', () => {
    const tally = new RequestTally(() => undefined);
    for (let i = 0; i < MAX_BATCH_KEYS; i++) tally.count(`10.1.${i >> 8}.${i & 255}`, '/x');
    tally.count('10.1.0.0', '/x');
    tally.checks = MAX_BATCH_KEYS + 3;
    tally.denied = 2;
    expect(tally.full).toBe(true);
    expect(tally.dropPairs()).toBe(MAX_BATCH_KEYS + 1);
    expect(tally.full).toBe(false);
    tally.count('10.2.0.1', undefined);
    expect(tally.takePairs()).toMatchObject({ checks: MAX_BATCH_KEYS + 3, denied: 2, requests: [['10.2.0.1', null, 1]] });
  });
});
