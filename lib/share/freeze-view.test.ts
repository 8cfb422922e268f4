import { describe, expect, it } from 'vitest';
import { auditFilterQuerySchema } from '../audit/filters';
import { freezeSharedView } from './freeze-view';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

describe('freezeSharedView', () => {
  it('turns an audit view’s relative range into the start the sharer saw, keeping the other filters', () => {
    const frozen = freezeSharedView({ path: '/audit', query: { actor: 'user:admin', range: '15m' } }, NOW);
    expect(frozen).toEqual({ path: '/audit', query: { actor: 'user:admin', from: '2026-03-01T11:45:00.000Z' } });
    // The frozen query is one the audit filters accept.
    expect(auditFilterQuerySchema.safeParse(frozen.query).success).toBe(true);
  });

  it('leaves an audit view without a range, and the health view, as they are', () => {
    const fixed = { path: '/audit' as const, query: { from: '2026-03-01T00:00:00.000Z', type: 'snapshot.created' } };
    expect(freezeSharedView(fixed, NOW)).toEqual(fixed);
    const health = { path: '/' as const, query: { range: '1h' } };
    expect(freezeSharedView(health, NOW)).toEqual(health);
  });

  it('leaves a range it does not know for the server’s schema to refuse', () => {
    const odd = { path: '/audit' as const, query: { range: '2y' } };
    expect(freezeSharedView(odd, NOW)).toEqual(odd);
  });
});
