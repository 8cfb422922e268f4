import { describe, expect, it } from 'vitest';
import { addThreatMinute, countThreatsPerMinute, denseThreatMinutes } from './threat-stats';

const at = (iso: string, level: 'medium' | 'high' | 'critical') => ({ at: iso, level });

describe('threat statistics per minute', () => {
  it('counts by minute and level, skipping what is older than the window', () => {
    const minutes = countThreatsPerMinute(
      [at('2026-01-01T10:00:59Z', 'high'), at('2026-01-01T10:00:01Z', 'high'), at('2026-01-01T10:02:00Z', 'critical'), at('2026-01-01T08:00:00Z', 'medium')],
      Date.parse('2026-01-01T09:30:00Z'),
    );
    expect(minutes).toEqual([
      { minute: Date.parse('2026-01-01T10:00:00Z'), medium: 0, high: 2, critical: 0 },
      { minute: Date.parse('2026-01-01T10:02:00Z'), medium: 0, high: 0, critical: 1 },
    ]);
  });

  it('adds a live threat to its minute or opens a new one, leaving the input alone', () => {
    const start = countThreatsPerMinute([at('2026-01-01T10:00:10Z', 'medium')], 0);
    const same = addThreatMinute(start, at('2026-01-01T10:00:50Z', 'medium'));
    expect(same).toEqual([{ minute: Date.parse('2026-01-01T10:00:00Z'), medium: 2, high: 0, critical: 0 }]);
    expect(start[0].medium).toBe(1);
    const next = addThreatMinute(same, at('2026-01-01T09:59:00Z', 'critical'));
    expect(next.map((m) => m.minute)).toEqual([Date.parse('2026-01-01T09:59:00Z'), Date.parse('2026-01-01T10:00:00Z')]);
  });

  it('fills every minute of the window with zeros where nothing happened', () => {
    const series = denseThreatMinutes([{ minute: Date.parse('2026-01-01T10:00:00Z'), medium: 0, high: 3, critical: 0 }], Date.parse('2026-01-01T10:00:30Z'), 3);
    expect(series.map((m) => [new Date(m.minute).toISOString().slice(11, 16), m.high])).toEqual([
      ['09:58', 0],
      ['09:59', 0],
      ['10:00', 3],
    ]);
  });
});
