import { describe, expect, it } from 'vitest';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { DefenseThreat } from '@/lib/defense/defense-types';
import { ThreatFeed } from './threat-feed';
import { threatAuditDetails, threatFromAuditEvent } from './threat-history';

const threat: DefenseThreat = {
  id: '7d3c1c52-3f0b-4a51-a1f7-0b7f3e6b2a10',
  at: '2026-03-01T10:00:00.000Z',
  scenario: 'brute-force',
  level: 'critical',
  groupBy: 'ip',
  key: '203.0.113.7',
  source: '203.0.113.7',
  count: 5,
  action: 'isolated',
  origin: 'ingest',
  modeAtDetection: 'NORMAL',
};

/** The event as the defense appends it (what the chain stores of it). */
function eventOf(details: ChainedAuditEvent['details'], overrides: Partial<ChainedAuditEvent> = {}): ChainedAuditEvent {
  return {
    seq: 1,
    eventId: 'e1',
    at: '2026-03-01T10:00:00.250Z',
    type: 'defense.threat',
    severity: 'critical',
    actor: 'system',
    action: 'brute-force detected',
    module: 'defense',
    resource: threat.key,
    reason: '5 events within 600 s (capacity 5)',
    method: 'ingest',
    source: threat.source,
    details,
    prevHash: '0',
    hash: '1',
    ...overrides,
  };
}

describe('threats read back from the audit trail', () => {
  it('are the threats that were detected', () => {
    expect(threatFromAuditEvent(eventOf(threatAuditDetails(threat)))).toEqual(threat);
  });

  it('are rebuilt from events written before details held scenario, count and time', () => {
    const older = eventOf({ threatId: threat.id, level: 'critical', groupBy: 'ip', action: 'isolated', mode: 'NORMAL' });
    expect(threatFromAuditEvent(older)).toEqual({ ...threat, at: older.at });
  });

  it('leave out events the defense did not write as threats', () => {
    expect(threatFromAuditEvent(eventOf(threatAuditDetails(threat), { type: 'app.custom' }))).toBeNull();
    expect(threatFromAuditEvent(eventOf({ threatId: threat.id, level: 'severe' }))).toBeNull();
    expect(threatFromAuditEvent(eventOf(threatAuditDetails(threat), { resource: null }))).toBeNull();
  });
});

describe('a feed restored from the audit trail', () => {
  it('holds the stored threats first and each threat once, whenever it is restored', () => {
    const feed = new ThreatFeed();
    const stored = [
      { ...threat, id: 'a' },
      { ...threat, id: 'b' },
    ];
    feed.add({ ...threat, id: 'c' });
    feed.restore(stored);
    expect(feed.recent(10).map((t) => t.id)).toEqual(['c', 'b', 'a']);
    // Taking the lead: the trail now holds what was detected since, too.
    feed.restore([...stored, { ...threat, id: 'c' }, { ...threat, id: 'd' }]);
    expect(feed.recent(10).map((t) => t.id)).toEqual(['d', 'c', 'b', 'a']);
  });
});
