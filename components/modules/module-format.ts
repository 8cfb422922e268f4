import type { ModuleState } from '@/lib/healing/module-schema';
import type { EscalationLevel, IncidentSeverity } from '@/lib/healing/incident';
import type { Tone } from '../ui/badge';

export const STATE_TONE: Record<ModuleState, Tone> = {
  up: 'ok',
  degraded: 'warn',
  down: 'bad',
  paused: 'neutral',
  pending: 'accent',
  maintenance: 'neutral',
};

export const SEVERITY_TONE: Record<IncidentSeverity, Tone> = { warning: 'warn', high: 'orange', critical: 'crit' };

/** lib/healing/incident.ts's ladder, in words short enough for a tooltip. */
export const ESCALATION_LABEL: Record<EscalationLevel, string> = {
  1: 'self-heal retry',
  2: 'restart',
  3: 'operators notified',
  4: 'critical alert on every channel',
  5: 'human required, automation stopped',
};

/** `service_failure` → `service failure`. */
export const words = (value: string): string => value.replaceAll('_', ' ');
