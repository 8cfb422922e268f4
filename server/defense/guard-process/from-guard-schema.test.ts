import { describe, expect, it } from 'vitest';
import { parseFromGuard } from './from-guard-schema';
import { MAX_BATCH_KEYS, type CountedRequests } from './guard-protocol';

/** Pairs as the guard process puts them on the wire (see RequestTally.take). */
const columns = (pairs: Array<[string, string | null, number]>): CountedRequests => ({
  sources: pairs.map(([source]) => source).join('\n'),
  paths: pairs.map(([, path]) => path ?? '').join('\n'),
  pathless: Uint8Array.from(pairs.map(([, path]) => (path === null ? 1 : 0))),
  counts: Uint32Array.from(pairs.map(([, , count]) => count)),
});
const batch = (requests: CountedRequests) => ({ kind: 'requests', at: Date.now(), checks: 3, denied: 1, requests });

describe('messages from the guard process', () => {
  it('reads a batch of counts back into pairs, and accepts the listening report', () => {
    const parsed = parseFromGuard(
      batch(
        columns([
          ['198.51.100.1', '/a', 2],
          ['2001:db8::1', null, 1],
          ['198.51.100.2', '', 1],
        ]),
      ),
    );
    expect(parsed.ok && parsed.message.kind === 'requests' && parsed.message.requests).toEqual([
      ['198.51.100.1', '/a', 2],
      ['2001:db8::1', null, 1],
      ['198.51.100.2', '', 1],
    ]);
    expect(parseFromGuard(batch(columns([]))).ok).toBe(true);
    expect(parseFromGuard({ kind: 'listening', port: 47100 }).ok).toBe(true);
  });

  it('refuses counts the worker could not replay in bounded time, columns that do not line up, and anything unknown', () => {
    expect(parseFromGuard(batch(columns([['198.51.100.1', '/a', 1e9]]))).ok).toBe(false);
    expect(parseFromGuard(batch(columns([['198.51.100.1', '/a', 0]]))).ok).toBe(false);
    expect(parseFromGuard(batch(columns(Array.from({ length: MAX_BATCH_KEYS + 1 }, () => ['198.51.100.1', null, 1])))).ok).toBe(false);
    expect(parseFromGuard(batch(columns([['x'.repeat(101), null, 1]]))).ok).toBe(false);
    expect(parseFromGuard(batch(columns([['', null, 1]]))).ok).toBe(false);
    const short = columns([
      ['198.51.100.1', '/a', 1],
      ['198.51.100.2', '/b', 1],
    ]);
    expect(parseFromGuard(batch({ ...short, sources: '198.51.100.1' })).ok).toBe(false);
    expect(parseFromGuard(batch({ ...short, counts: [1, 1] as unknown as Uint32Array })).ok).toBe(false);
    expect(parseFromGuard({ kind: 'decisions', changes: [] }).ok).toBe(false);
  });
});
