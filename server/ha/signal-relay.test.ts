import { describe, expect, it } from 'vitest';
import { NOTIFY_PAYLOAD_LIMIT, unfoldSignals, type RelayedSignal } from '@/lib/ha/cluster-messages';
import type { SecuritySignal } from '@/lib/defense/signals';
import { SignalRelay } from './signal-relay';

function relayInto(batches: RelayedSignal[][]): SignalRelay {
  return new SignalRelay({ send: (signals) => batches.push(signals), flushEveryMs: 60_000 });
}

describe('relaying a standby’s signals to the leader', () => {
  it('folds identical signals into one with a count, and keeps different ones apart', () => {
    const batches: RelayedSignal[][] = [];
    const relay = relayInto(batches);
    for (let i = 0; i < 1000; i++) relay.add({ kind: 'request', source: '192.0.2.1', origin: 'guard', at: 1000 + i });
    relay.add({ kind: 'request', source: '192.0.2.1', path: '/admin', origin: 'guard', at: 5000 });
    relay.add({ kind: 'auth_failure', source: '192.0.2.1', user: 'root', origin: 'ingest', at: 5001 });
    relay.stop();
    expect(batches).toHaveLength(1);
    const [folded, withPath, failure] = batches[0];
    expect(folded).toMatchObject({ kind: 'request', count: 1000, at: 1999 });
    expect(withPath).toMatchObject({ path: '/admin', count: 1 });
    expect(failure).toMatchObject({ kind: 'auth_failure', user: 'root', count: 1 });
    expect(relay.stats).toMatchObject({ relayed: 1002, batches: 1, dropped: 0 });
  });

  it('keeps every batch under the notification limit and drops past its key budget', () => {
    const batches: RelayedSignal[][] = [];
    const relay = relayInto(batches);
    for (let i = 0; i < 6000; i++)
      relay.add({ kind: 'not_found', source: `10.0.${i >> 8}.${i & 255}`, path: `/probe/${'x'.repeat(40)}/${i}`, origin: 'guard', at: i });
    relay.flush();
    expect(relay.stats.dropped).toBe(1000);
    expect(batches.flat()).toHaveLength(5000);
    for (const batch of batches)
      expect(Buffer.byteLength(JSON.stringify({ kind: 'signals', from: 'node-with-a-long-name', signals: batch }))).toBeLessThan(NOTIFY_PAYLOAD_LIMIT);
    relay.flush();
    expect(batches.flat()).toHaveLength(5000);
    relay.stop();
  });

  it('unfolds on the leader, bounded per entry', () => {
    const seen: SecuritySignal[] = [];
    unfoldSignals(
      [
        { kind: 'request', source: '192.0.2.1', origin: 'guard', at: 1, count: 3 },
        { kind: 'error', source: '192.0.2.2', origin: 'ingest', at: 2, count: 50 },
      ],
      (signal) => seen.push(signal),
      20,
    );
    expect(seen).toHaveLength(23);
    expect(seen[0]).toEqual({ kind: 'request', source: '192.0.2.1', origin: 'guard', at: 1 });
    expect(seen.at(-1)).toMatchObject({ kind: 'error', source: '192.0.2.2' });
  });
});
