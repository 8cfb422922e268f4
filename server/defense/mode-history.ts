import type { Database } from '../db/client';
import { readRecentAuditEvents } from '../queries/audit-recent';

/** Every change of mode the defense announces, ELEVATED and LOCKDOWN alike. */
const MODE_EVENTS = ['defense.mode_changed', 'defense.lockdown', 'defense.lockdown_lifted'];

/**
 * Whether the defense was ELEVATED when it last announced a mode. A lockdown hides ELEVATED
 * rather than ending it, so for a lockdown the mode it came from counts.
 */
export async function readLastElevation(database: Database): Promise<boolean> {
  const [last] = await readRecentAuditEvents(database, { types: MODE_EVENTS, module: 'defense', take: 1 });
  if (!last) return false;
  const { from, to } = last.details;
  return (to === 'LOCKDOWN' ? from : to) === 'ELEVATED';
}
