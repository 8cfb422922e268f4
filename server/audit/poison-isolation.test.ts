import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '@/lib/audit/hash-chain';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { PendingAuditEvent } from '../queries/audit';
import { commitIsolatingPoison } from './poison-isolation';

function events(count: number): PendingAuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    at: new Date().toISOString(),
    type: 't',
    severity: 'info',
    actor: 'a',
    action: `e${i}`,
    module: null,
    resource: null,
    reason: null,
    method: null,
    source: null,
    details: {},
  }));
}

/** A store that refuses any batch holding a poisoned action, and goes down after `downAfter` commits. */
function store({ poisoned, downAfter = Infinity }: { poisoned: Set<string>; downAfter?: number }) {
  const committed: string[] = [];
  let calls = 0;
  const commit = async (batch: PendingAuditEvent[]): Promise<ChainedAuditEvent[]> => {
    calls += 1;
    if (calls > downAfter) throw new Error('down');
    if (batch.some((e) => poisoned.has(e.action))) throw new Error('refused');
    committed.push(...batch.map((e) => e.action));
    return batch.map((e, i) => ({ ...e, seq: committed.length - batch.length + i + 1, prevHash: GENESIS_HASH, hash: GENESIS_HASH }));
  };
  return {
    commit,
    committed,
    calls: () => calls,
    deps: { commit, isOutage: async (error: unknown) => (error as Error).message === 'down', describe: (error: unknown) => (error as Error).message },
  };
}

describe('commitIsolatingPoison', () => {
  it('sets aside exactly the poisoned events, commits the rest in order, in few commits', async () => {
    const batch = events(5000);
    const s = store({ poisoned: new Set(['e17', 'e4000']) });
    const result = await commitIsolatingPoison(batch, s.deps);
    expect(result.poisoned.map((p) => p.event.action)).toEqual(['e17', 'e4000']);
    expect(result.outage).toBeNull();
    expect(s.committed).toEqual(batch.map((e) => e.action).filter((a) => a !== 'e17' && a !== 'e4000'));
    expect(s.calls()).toBeLessThan(60);
  });

  it('stops at an outage with every event not yet committed waiting, in order', async () => {
    const batch = events(16);
    const s = store({ poisoned: new Set(['e3']), downAfter: 4 });
    const result = await commitIsolatingPoison(batch, s.deps);
    const handled = [...s.committed, ...result.poisoned.map((p) => p.event.action), ...result.outage!.waiting.map((e) => e.action)];
    expect([...handled].sort()).toEqual(batch.map((e) => e.action).sort());
    expect(result.outage!.waiting.map((e) => e.action)).toEqual(batch.map((e) => e.action).slice(batch.length - result.outage!.waiting.length));
  });
});
