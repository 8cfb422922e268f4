import { describe, expect, it } from 'vitest';
import type { DefenseDecision } from '@/lib/defense/defense-types';
import { Blocklist } from './blocklist';
import { DecisionStream } from './decision-stream';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const decision = (id: number, source: string, expiresInMs: number | null = 3_600_000): DefenseDecision => ({
  id,
  source,
  scope: source.includes('/') ? 'range' : 'ip',
  origin: 'auto',
  scenario: 'rate-abuse-critical',
  reason: 'test',
  actor: 'system',
  offence: 1,
  createdAt: new Date(NOW).toISOString(),
  expiresAt: expiresInMs === null ? null : new Date(NOW + expiresInMs).toISOString(),
});

describe('Blocklist and DecisionStream', () => {
  it('resets to what the database holds, telling bouncers only what changed', () => {
    const list = new Blocklist();
    const stream = new DecisionStream(list);
    list.load([decision(1, '203.0.113.1'), decision(2, '203.0.113.2')]);
    stream.poll('b1', false, NOW);
    list.reset([decision(2, '203.0.113.2'), decision(3, '203.0.113.3'), decision(4, '203.0.113.1')]);
    expect(
      list
        .active()
        .map((d) => d.id)
        .sort(),
    ).toEqual([2, 3, 4]);
    expect(list.match('203.0.113.1', NOW)?.id).toBe(4);
    const changes = stream.poll('b1', false, NOW);
    expect(changes.new.map((d) => d.id).sort()).toEqual([3, 4]);
    expect(changes.deleted.map((d) => d.id)).toEqual([1]);
  });

  it('enforces until expiry, then reports the expiry to bouncers as a deletion', () => {
    const list = new Blocklist();
    const stream = new DecisionStream(list);
    list.load([decision(1, '203.0.113.1', 1000), decision(2, '10.0.0.0/8', null)]);
    expect(stream.poll('b1', false, NOW).new.map((d) => [d.value, d.scope, d.duration])).toEqual([
      ['203.0.113.1', 'Ip', '0h0m1s'],
      ['10.0.0.0/8', 'Range', '87600h0m0s'],
    ]);
    expect(list.match('10.2.3.4', NOW)?.id).toBe(2);
    expect(list.match('203.0.113.1', NOW + 999)?.id).toBe(1);
    expect(list.match('203.0.113.1', NOW + 1000)).toBeUndefined();
    expect(list.expire(NOW + 1000).map((d) => d.id)).toEqual([1]);
    expect(stream.poll('b1', false, NOW + 1000)).toEqual({ new: [], deleted: [expect.objectContaining({ id: 1, value: '203.0.113.1' })] });
    // Another bouncer that never polled gets the full list, not the history.
    expect(stream.poll('b2', false, NOW + 1000).new.map((d) => d.id)).toEqual([2]);
  });

  it('never tells bouncers about a provisional entry, only the stored decision replacing it', () => {
    const list = new Blocklist();
    const stream = new DecisionStream(list);
    stream.poll('b', true, NOW);
    list.add(decision(-5, '198.51.100.7'), 'provisional');
    expect(list.match('198.51.100.7', NOW)?.id).toBe(-5);
    list.add(decision(9, '198.51.100.7'));
    expect(stream.poll('b', false, NOW)).toEqual({ new: [expect.objectContaining({ id: 9 })], deleted: [] });
    expect(list.size).toBe(1);
  });

  it('falls back to the full list for a bouncer whose cursor fell out of the change log', () => {
    const list = new Blocklist();
    expect(list.changesSince(-1)).toBeNull();
    list.add(decision(1, '192.0.2.1'));
    expect(list.changesSince(0)).toHaveLength(1);
    expect(list.changesSince(1)).toEqual([]);
  });

  it('shares one full list between bouncers starting within 10 s and the same state, and counts what each poll handed over', () => {
    const list = new Blocklist();
    const stream = new DecisionStream(list);
    list.load([decision(1, '203.0.113.1'), decision(2, '203.0.113.2')]);
    const first = stream.poll('a', true, NOW).new;
    expect(stream.poll('b', true, NOW + 300).new).toBe(first);
    expect(stream.lastDelivered('a')).toBe(2);
    expect(stream.poll('c', true, NOW + 10_000).new).not.toBe(first);
    expect(stream.poll('c', true, NOW + 10_000).new[0].duration).toBe('0h59m50s');
    list.add(decision(3, '203.0.113.3'));
    expect(stream.poll('a', true, NOW + 300).new.map((d) => d.id)).toEqual([1, 2, 3]);
    expect(stream.poll('a', false, NOW + 300)).toEqual({ new: [], deleted: [] });
    expect(stream.lastDelivered('a')).toBe(0);
    expect(stream.lastDelivered('never')).toBe(0);
    // The route's text: the full list serialised once for every bouncer starting in that second.
    const json = stream.pollJson('d', true, NOW + 300);
    expect(stream.pollJson('e', true, NOW + 300)).toBe(json);
    expect(JSON.parse(json).new.map((d: { id: number }) => d.id)).toEqual([1, 2, 3]);
    expect(stream.pollJson('d', false, NOW + 300)).toBe('{"new":[],"deleted":[]}');
    list.remove('203.0.113.1');
    expect(JSON.parse(stream.pollJson('d', false, NOW + 300))).toEqual({ new: [], deleted: [expect.objectContaining({ id: 1 })] });
  });
});
