import { describe, expect, it } from 'vitest';
import { intervalsOfSources } from '../ip-lists/ip-list-exclusions';
import { parseFromGuard } from './from-guard-schema';
import { decisionColumns, GUARD_LIMITS, type GuardState } from './guard-protocol';
import { GuardTables } from './guard-tables';
import { RequestTally } from './request-tally';

// Lists are indexed against the clock when they arrive, so the tests' instant is now.
const NOW = Date.now();
const HOUR = 3_600_000;

const state = (overrides: Partial<GuardState> = {}): GuardState => ({
  trustedProxies: ['127.0.0.1'],
  countRequests: true,
  mode: 'NORMAL',
  allowlist: ['192.0.2.10'],
  decisions: decisionColumns([
    { source: '203.0.113.7', expiresAtMs: NOW + HOUR },
    { source: '198.51.100.0/24', expiresAtMs: NOW + HOUR },
    { source: '2001:db8::1', expiresAtMs: Infinity },
  ]),
  ipLists: [{ intervals: intervalsOfSources(['100.64.0.0/10']), expiresAtMs: NOW + HOUR }],
  ...overrides,
});

/** A batch as the worker reads it off the channel. */
function taken(tally: RequestTally) {
  const parsed = parseFromGuard({ kind: 'requests', at: NOW, ...tally.take() });
  if (!parsed.ok || parsed.message.kind !== 'requests') throw new Error(parsed.ok ? 'not a batch' : parsed.error);
  return parsed.message;
}

function tablesWith(overrides: Partial<GuardState> = {}) {
  const tally = new RequestTally(() => undefined);
  const tables = new GuardTables(tally);
  tables.apply({ kind: 'start', listen: { host: '127.0.0.1', port: 0 }, limits: GUARD_LIMITS, state: state(overrides) });
  return { tables, tally };
}

describe("the guard process's copy of the worker's tables", () => {
  it('answers as the worker does: allowlist first, then decisions (addresses, ranges, IPv6) and imported lists', () => {
    const { tables, tally } = tablesWith();
    expect(tables.check('192.0.2.10', '/', NOW)).toBe('pass');
    expect(tables.check('203.0.113.7', '/', NOW)).toBe('isolated');
    expect(tables.check('198.51.100.77', '/', NOW)).toBe('isolated');
    expect(tables.check('2001:db8::1', '/', NOW)).toBe('isolated');
    expect(tables.check('100.100.1.1', '/', NOW)).toBe('isolated');
    expect(tables.check('203.0.113.8', '/login', NOW)).toBe('pass');
    // What expired passes, without a message from the worker.
    expect(tables.check('203.0.113.7', '/', NOW + 2 * HOUR)).toBe('pass');
    expect(tables.decisions.size).toBe(3);
    expect(taken(tally)).toMatchObject({
      checks: 7,
      denied: 4,
      requests: [
        ['203.0.113.8', '/login', 1],
        ['203.0.113.7', '/', 1],
      ],
    });
  });

  it('follows every change the worker sends: decisions, mode, allowlist, lists and settings', () => {
    const { tables, tally } = tablesWith();
    tables.apply({
      kind: 'decisions',
      changes: [
        { op: 'delete', source: '203.0.113.7' },
        { op: 'set', source: '203.0.113.9', expiresAtMs: NOW + HOUR },
      ],
    });
    expect(tables.check('203.0.113.7', '/', NOW)).toBe('pass');
    expect(tables.check('203.0.113.9', '/', NOW)).toBe('isolated');

    tables.apply({ kind: 'mode', mode: 'LOCKDOWN' });
    expect(tables.mode).toBe('LOCKDOWN');
    expect(tables.check('203.0.113.50', '/', NOW)).toBe('lockdown');
    // The allowlist passes even in LOCKDOWN, as on the worker.
    expect(tables.check('192.0.2.10', '/', NOW)).toBe('pass');
    tables.apply({ kind: 'mode', mode: 'NORMAL' });

    tables.apply({ kind: 'allowlist', sources: ['203.0.113.9'] });
    expect(tables.check('203.0.113.9', '/', NOW)).toBe('pass');
    expect(tables.check('192.0.2.10', '/', NOW)).toBe('pass');

    tables.apply({ kind: 'ipLists', lists: [] });
    expect(tables.check('100.100.1.1', '/', NOW)).toBe('pass');

    expect(tables.resolver.resolve('127.0.0.1', '203.0.113.9', undefined)).toBe('203.0.113.9');
    tables.apply({ kind: 'settings', settings: { trustedProxies: [], countRequests: false } });
    // No longer trusted: the proxy's own address is the source.
    expect(tables.resolver.resolve('127.0.0.1', '203.0.113.9', undefined)).toBe('127.0.0.1');
    tally.take();
    expect(tables.check('203.0.113.60', '/', NOW)).toBe('pass');
    expect(taken(tally).requests).toEqual([]);
  });

  it('replaces its whole copy with a fresh state: what was released meanwhile is enforced no more', () => {
    const { tables } = tablesWith();
    tables.apply({
      kind: 'state',
      state: state({ mode: 'ELEVATED', allowlist: [], decisions: decisionColumns([{ source: '203.0.113.9', expiresAtMs: NOW + HOUR }]), ipLists: [] }),
    });
    expect(tables.decisions.size).toBe(1);
    expect(tables.mode).toBe('ELEVATED');
    expect(tables.check('203.0.113.7', '/', NOW)).toBe('pass');
    expect(tables.check('198.51.100.77', '/', NOW)).toBe('pass');
    expect(tables.check('2001:db8::1', '/', NOW)).toBe('pass');
    expect(tables.check('100.100.1.1', '/', NOW)).toBe('pass');
    expect(tables.check('203.0.113.9', '/', NOW)).toBe('isolated');
  });
});
