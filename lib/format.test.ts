import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock, formatCount, formatDuration, formatPercent, formatRelative } from './format';

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MiB');
    expect(formatBytes(23.5 * 1024 ** 3)).toBe('23.5 GiB');
    expect(formatBytes(3 * 1024 ** 5)).toBe('3.0 PiB');
  });
});

describe('formatCount', () => {
  it('groups whole numbers by thousands as en-US does', () => {
    for (const value of [0, 7, 999, 1000, 5004, 12_345, 999_999, 1_000_000, 1_234_567_890, -1234, Number.MAX_SAFE_INTEGER]) {
      expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
    }
  });
});

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.9)).toBe('59s');
    expect(formatDuration(61)).toBe('1m 1s');
    expect(formatDuration(3600 * 5 + 60 * 7 + 3)).toBe('5h 7m');
    expect(formatDuration(86_400 * 3 + 3600 * 4)).toBe('3d 4h');
    expect(formatDuration(-5)).toBe('0s');
  });
});

describe('formatPercent / formatClock / formatRelative', () => {
  it('formats percentages with the given precision', () => {
    expect(formatPercent(12.345)).toBe('12 %');
    expect(formatPercent(12.345, 1)).toBe('12.3 %');
  });

  it('prints a 24-hour clock', () => {
    expect(formatClock('2026-01-01T13:05:09.000Z')).toMatch(/^\d\d:\d\d:\d\d$/);
    // hour12: false prints midnight as 24:00:00 in V8; the hour cycle must be h23.
    expect(formatClock(new Date(2026, 0, 1, 0, 0, 5).toISOString())).toBe('00:00:05');
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-01-01T12:00:00.000Z');
    const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
    expect(formatRelative(ago(2), now)).toBe('just now');
    expect(formatRelative(ago(30), now)).toBe('30s ago');
    expect(formatRelative(ago(125), now)).toBe('2m ago');
    expect(formatRelative(ago(7200), now)).toBe('2h ago');
    expect(formatRelative(ago(3 * 86_400), now)).toBe('3d ago');
  });
});
