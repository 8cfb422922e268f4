import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { inMaintenance, isValidTimeZone, isWindowActive, type MaintenanceWindow } from './maintenance';
import { maintenanceWindowConfigSchema } from './module-schema';

const at = (iso: string) => new Date(iso);
/** Parsed as the config file would be, defaults included. */
const weekly = (window: z.input<typeof maintenanceWindowConfigSchema>): MaintenanceWindow => maintenanceWindowConfigSchema.parse(window);

describe('one-off windows', () => {
  const window = maintenanceWindowConfigSchema.parse({ from: '2026-05-01T22:00:00+02:00', to: '2026-05-02T01:00:00+02:00' });

  it('is active from `from` (inclusive) to `to` (exclusive), whatever the offsets', () => {
    expect(isWindowActive(window, at('2026-05-01T19:59:59Z'))).toBe(false);
    expect(isWindowActive(window, at('2026-05-01T20:00:00Z'))).toBe(true);
    expect(isWindowActive(window, at('2026-05-01T22:59:59Z'))).toBe(true);
    expect(isWindowActive(window, at('2026-05-01T23:00:00Z'))).toBe(false);
  });
});

describe('weekly windows', () => {
  it('reads the wall clock of its time zone', () => {
    // Wednesday 2026-06-03: 09:30 in Tokyo is 00:30 UTC.
    const window = weekly({ days: ['wed'], start: '09:00', end: '10:00', timezone: 'Asia/Tokyo' });
    expect(isWindowActive(window, at('2026-06-03T00:30:00Z'))).toBe(true);
    expect(isWindowActive(window, at('2026-06-03T09:30:00Z'))).toBe(false);
    expect(isWindowActive(window, at('2026-06-03T01:00:00Z'))).toBe(false);
  });

  it('defaults to UTC', () => {
    const window = weekly({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '12:00', end: '13:00' });
    expect(isWindowActive(window, at('2026-06-05T12:15:00Z'))).toBe(true);
    expect(isWindowActive(window, at('2026-06-06T12:15:00Z'))).toBe(false); // Saturday
  });

  it('crosses midnight: the early hours belong to the day the window started on', () => {
    const window = weekly({ days: ['sat'], start: '23:00', end: '02:00', timezone: 'Europe/Berlin' });
    // Saturday 2026-06-06 23:30 CEST = 21:30 UTC; Sunday 01:30 CEST = Saturday 23:30 UTC.
    expect(isWindowActive(window, at('2026-06-06T21:30:00Z'))).toBe(true);
    expect(isWindowActive(window, at('2026-06-06T23:30:00Z'))).toBe(true);
    expect(isWindowActive(window, at('2026-06-07T00:00:00Z'))).toBe(false); // Sunday 02:00
    // Saturday 01:30 is the tail of Friday's window, and Friday is not listed.
    expect(isWindowActive(window, at('2026-06-05T23:30:00Z'))).toBe(false);
  });

  it('lasts a full day when start equals end, and "24:00" ends at midnight', () => {
    const fullDay = weekly({ days: ['sun'], start: '06:00', end: '06:00' });
    expect(isWindowActive(fullDay, at('2026-06-07T06:00:00Z'))).toBe(true);
    expect(isWindowActive(fullDay, at('2026-06-08T05:59:00Z'))).toBe(true);
    expect(isWindowActive(fullDay, at('2026-06-08T06:00:00Z'))).toBe(false);
    const evening = weekly({ days: ['sun'], start: '20:00', end: '24:00' });
    expect(isWindowActive(evening, at('2026-06-07T23:59:00Z'))).toBe(true);
    expect(isWindowActive(evening, at('2026-06-08T00:00:00Z'))).toBe(false);
  });

  it('follows the wall clock when the clocks go forward (Europe/Berlin, 2026-03-29)', () => {
    const window = weekly({ days: ['sun'], start: '01:00', end: '03:00', timezone: 'Europe/Berlin' });
    expect(isWindowActive(window, at('2026-03-29T00:00:00Z'))).toBe(true); // 01:00 CET
    expect(isWindowActive(window, at('2026-03-29T00:59:59Z'))).toBe(true); // 01:59:59 CET
    // One second later it is 03:00 CEST: the window lasted one real hour, not two.
    expect(isWindowActive(window, at('2026-03-29T01:00:00Z'))).toBe(false);
  });

  it('happens twice when the clocks go back (America/New_York, 2026-11-01)', () => {
    const window = weekly({ days: ['sun'], start: '01:00', end: '02:00', timezone: 'America/New_York' });
    expect(isWindowActive(window, at('2026-11-01T05:30:00Z'))).toBe(true); // 01:30 EDT
    expect(isWindowActive(window, at('2026-11-01T06:30:00Z'))).toBe(true); // 01:30 EST
    expect(isWindowActive(window, at('2026-11-01T07:00:00Z'))).toBe(false); // 02:00 EST
  });

  it('silences nothing when the time zone or clock cannot be read', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isWindowActive(weekly({ days: ['mon'], start: '00:00', end: '00:00', timezone: 'Mars/Olympus_Mons' }), at('2026-06-01T12:00:00Z'))).toBe(false);
    expect(isWindowActive(weekly({ days: ['mon'], start: '25:00', end: '26:00' }), at('2026-06-01T12:00:00Z'))).toBe(false);
  });
});

describe('inMaintenance', () => {
  it('is true when any window is active', () => {
    const windows = [
      maintenanceWindowConfigSchema.parse({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' }),
      weekly({ days: ['mon'], start: '03:00', end: '04:00' }),
    ];
    expect(inMaintenance(windows, at('2026-06-01T03:30:00Z'))).toBe(true);
    expect(inMaintenance(windows, at('2026-01-01T00:30:00Z'))).toBe(true);
    expect(inMaintenance(windows, at('2026-06-01T05:00:00Z'))).toBe(false);
    expect(inMaintenance([], at('2026-06-01T03:30:00Z'))).toBe(false);
  });
});
