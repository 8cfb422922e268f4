import type { z } from 'zod';
import type { maintenanceWindowConfigSchema } from './module-schema';

/**
 * A one-off window `{from, to}` (ISO 8601 with offset) or a weekly one
 * `{days, start, end, timezone}` read on the wall clock of `timezone` (IANA name).
 * While one is active, alerts and automatic actions are silenced; probing goes on.
 */
export type MaintenanceWindow = z.infer<typeof maintenanceWindowConfigSchema>;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** Building a DateTimeFormat costs far more than using one, and there are only ~400 zones. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export const isValidTimeZone = (timeZone: string): boolean => formatterFor(timeZone) !== null;

/** "HH:MM" to minutes after midnight; "24:00" is allowed as an end. */
function parseClock(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 24 * 60 ? minutes : null;
}

function wallClock(at: Date, timeZone: string): { day: Weekday; minutes: number } | null {
  const formatter = formatterFor(timeZone);
  if (!formatter) return null;
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  const day = WEEKDAYS.find((name) => name === parts.weekday?.toLowerCase());
  if (!day) return null;
  return { day, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/**
 * Wall-clock semantics across DST: on the night the clocks go forward a window inside the
 * skipped hour does not happen, and on the night they go back it happens twice. That is what
 * a person who wrote "02:00-03:00 Europe/Berlin" means, and what cron does too.
 */
export function isWindowActive(window: MaintenanceWindow, at: Date): boolean {
  if ('from' in window) {
    const t = at.getTime();
    return Date.parse(window.from) <= t && t < Date.parse(window.to);
  }
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  // A window that cannot be read silences nothing: a missed alert is worse than an extra one.
  const local = start === null || end === null ? null : wallClock(at, window.timezone);
  if (start === null || end === null || !local) return false;
  const days = new Set<string>(window.days);
  if (start < end) return days.has(local.day) && local.minutes >= start && local.minutes < end;
  // Across midnight (or start = end: a full day): the part after midnight belongs to the day it started on.
  const previousDay = WEEKDAYS[(WEEKDAYS.indexOf(local.day) + 6) % 7];
  return (days.has(local.day) && local.minutes >= start) || (days.has(previousDay) && local.minutes < end);
}

export function inMaintenance(windows: readonly MaintenanceWindow[], at: Date): boolean {
  return windows.some((window) => isWindowActive(window, at));
}
