import type { ThreatAction, ThreatLevel, DefenseMode } from '@/lib/defense/defense-types';
import type { Tone } from '../ui/badge';

export const MODE_TONE: Record<DefenseMode, Tone> = { NORMAL: 'ok', ELEVATED: 'orange', LOCKDOWN: 'crit' };

export const MODE_MEANING: Record<DefenseMode, string> = {
  NORMAL: 'Detectors run with their usual thresholds.',
  ELEVATED: 'Many serious threats lately: tighter thresholds, and a first critical strike isolates.',
  LOCKDOWN: 'Only allowlisted sources pass the guard; configuration is frozen and only administrators can make changes.',
};

export const LEVEL_TONE: Record<ThreatLevel, Tone> = { medium: 'warn', high: 'orange', critical: 'crit' };

/** Chart colours per level, the same hues as the badges. */
export const LEVEL_COLOR: Record<ThreatLevel, string> = { medium: 'var(--warn)', high: 'var(--orange)', critical: 'var(--crit)' };

export const ACTION_LABEL: Record<ThreatAction, string> = {
  recorded: 'recorded',
  isolated: 'isolated',
  'already-isolated': 'already isolated',
  allowlisted: 'allowlisted, let through',
  protected: 'loopback or trusted proxy, never isolated',
};
