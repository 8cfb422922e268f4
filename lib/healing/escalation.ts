import { z } from 'zod';
import type { EscalationLevel, IncidentSummary, NotificationKind } from './incident';

/**
 * The `escalation` config section. Levels are reached by time since the incident opened,
 * or earlier when recovery runs out of options. Defaults: restart after 1 min of failed
 * retries, notify operators after 5, critical alert after 15, a human owns it after 30;
 * while people are notified, a reminder every 30 min (0 turns reminders off).
 */
export const escalationPolicySchema = z
  .object({
    restartAfterMinutes: z.number().min(0).max(1440).default(1),
    notifyAfterMinutes: z.number().min(0).max(1440).default(5),
    criticalAfterMinutes: z.number().min(0).max(1440).default(15),
    humanAfterMinutes: z.number().min(0).max(10_080).default(30),
    /** Failed self-heal retries that move an incident to "restart" before the minute is up. */
    retriesBeforeRestart: z.number().int().min(1).max(100).default(3),
    reminderMinutes: z.number().min(0).max(10_080).default(30),
  })
  .strict()
  .refine(
    (p) => p.restartAfterMinutes <= p.notifyAfterMinutes && p.notifyAfterMinutes <= p.criticalAfterMinutes && p.criticalAfterMinutes <= p.humanAfterMinutes,
    {
      message: 'levels must come in order: restart ≤ notify ≤ critical ≤ human',
      path: ['humanAfterMinutes'],
    },
  );
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

export const defaultEscalationPolicy = (): EscalationPolicy => escalationPolicySchema.parse({});

export interface EscalationInput {
  openedAt: Date | string;
  now: Date;
  /** Failed self-heal retries (not restarts) for this incident so far. */
  attempts: number;
  /** The module's restart budget is spent (restartPolicy.maxAttempts) or it cannot be restarted. */
  restartsExhausted: boolean;
  policy: EscalationPolicy;
  /** The engine's own floor, e.g. 5 for the "critical" failure class, which a human decides. */
  atLeast?: EscalationLevel;
}

export interface EscalationResult {
  level: EscalationLevel;
  why: string;
}

const MINUTE_MS = 60_000;

/** Monotonic in time: with the same attempts and budget, a later `now` never gives a lower level. */
export function escalationLevelAt(input: EscalationInput): EscalationResult {
  const { policy } = input;
  const minutes = Math.max(0, (input.now.getTime() - new Date(input.openedAt).getTime()) / MINUTE_MS);
  const open = `open ${formatMinutes(minutes)}`;
  const candidates: EscalationResult[] = [{ level: 1, why: 'self-heal: retrying with back-off' }];
  if (minutes >= policy.restartAfterMinutes) candidates.push({ level: 2, why: `${open}, retries have not helped: restart` });
  if (input.attempts >= policy.retriesBeforeRestart) candidates.push({ level: 2, why: `${input.attempts} failed retries: restart` });
  if (minutes >= policy.notifyAfterMinutes) candidates.push({ level: 3, why: `${open}: notify operators` });
  if (input.restartsExhausted) candidates.push({ level: 3, why: 'restart budget spent: notify operators' });
  if (minutes >= policy.criticalAfterMinutes) candidates.push({ level: 4, why: `${open}: critical alert on every channel` });
  if (minutes >= policy.humanAfterMinutes) candidates.push({ level: 5, why: `${open}: a human is required, automation stops` });
  if (input.atLeast) candidates.push({ level: input.atLeast, why: 'raised by the engine' });
  // The first candidate at the highest level keeps the time-based reason, which reads best.
  return candidates.reduce((best, next) => (next.level > best.level ? next : best));
}

/** Level 5 hands the incident to people: no more automatic retries, restarts or repairs. */
export const automationAllowed = (level: EscalationLevel): boolean => level < 5;

export interface NotificationDueInput {
  /** Its `escalationLevel` is the current level (the highest reached, once resolved). */
  incident: IncidentSummary;
  /** The level when notifications were last considered for this incident; 1 for a new one. */
  previousLevel: EscalationLevel;
  /** When the last notification for this incident went out; null if none did. */
  lastNotifiedAt: Date | string | null;
  now: Date;
  policy: EscalationPolicy;
}

export interface NotificationDue {
  kind: NotificationKind;
  why: string;
}

/**
 * At most one notification per call: the alert at level 3, a critical alert on reaching 4 and
 * 5, reminders while it stays open at 3 or more, and a recovery notice only to people who
 * were told about it. Maintenance windows are checked by the caller (see maintenance.ts).
 */
export function notificationsDue(input: NotificationDueInput): NotificationDue | null {
  const { incident, policy } = input;
  const last = input.lastNotifiedAt === null ? null : new Date(input.lastNotifiedAt).getTime();
  if (incident.state === 'resolved') {
    const resolvedAt = incident.resolvedAt ? new Date(incident.resolvedAt).getTime() : input.now.getTime();
    // Notified before it was resolved and not since: the recovery notice has not gone out yet.
    return last !== null && last < resolvedAt ? { kind: 'recovery', why: 'resolved after operators were notified' } : null;
  }
  const level = incident.escalationLevel;
  if (level < 3) return null;
  const kind: NotificationKind = level >= 4 ? 'critical' : 'alert';
  if (last === null) return { kind, why: `level ${level} reached and nobody has been notified yet` };
  if (level > input.previousLevel) return { kind, why: `escalated from level ${input.previousLevel} to ${level}` };
  if (policy.reminderMinutes > 0 && input.now.getTime() - last >= policy.reminderMinutes * MINUTE_MS) {
    return { kind: 'reminder', why: `still open at level ${level}, ${formatMinutes((input.now.getTime() - last) / MINUTE_MS)} since the last notification` };
  }
  return null;
}

function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${Math.floor(minutes)} min`;
  return `${Math.floor(minutes / 60)} h`;
}
