import type { RiskBand } from '@/lib/forecast/risk';
import type { Tone } from '../ui/badge';

export const BAND_TONE: Record<RiskBand, Tone> = { green: 'ok', yellow: 'warn', orange: 'orange', red: 'crit' };

/**
 * Heat cells use fixed hues rather than the theme's status colours: the light theme's "warn" is
 * an amber-brown that reads as orange next to orange, and a heatmap has to be told apart at a
 * glance. Green is kept soft so the bands that need attention are the ones that stand out.
 */
export const BAND_CELL: Record<RiskBand, string> = {
  green: 'bg-emerald-500/45 dark:bg-emerald-500/40',
  yellow: 'bg-yellow-400 dark:bg-yellow-400/90',
  orange: 'bg-orange-500 dark:bg-orange-500/95',
  // red-700 in the dark: white on red-500 was 3.8:1, under AA.
  red: 'bg-red-600 dark:bg-red-700',
};

/** Legible text on each fill, for the current-risk number. */
export const BAND_TEXT: Record<RiskBand, string> = {
  green: 'text-emerald-950 dark:text-emerald-50',
  yellow: 'text-yellow-950',
  orange: 'text-orange-950',
  red: 'text-white',
};

export const BAND_LABEL: Record<RiskBand, string> = { green: 'low 0-25', yellow: 'elevated 26-50', orange: 'high 51-75', red: 'critical 76-100' };
