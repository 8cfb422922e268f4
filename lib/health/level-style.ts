import type { DegradationLevel } from './degradation';

/** Colour role and words for each level; the browser and any report use the same ones. */
export const LEVEL_STYLE: Record<DegradationLevel, { tone: 'ok' | 'warn' | 'orange' | 'bad' | 'crit'; label: string; summary: string }> = {
  NORMAL: { tone: 'ok', label: 'Normal', summary: 'Every feature is on.' },
  LEVEL_1: { tone: 'warn', label: 'Level 1', summary: 'Analytics and background tasks are paused.' },
  LEVEL_2: { tone: 'orange', label: 'Level 2', summary: 'AI inference and web search are off too.' },
  LEVEL_3: { tone: 'bad', label: 'Level 3', summary: 'Uploads and integrations are off too.' },
  EMERGENCY: { tone: 'crit', label: 'Emergency', summary: 'Only the core stays up.' },
};

export function toneForScore(score: number): 'ok' | 'warn' | 'orange' | 'bad' | 'crit' {
  if (score >= 80) return 'ok';
  if (score >= 65) return 'warn';
  if (score >= 50) return 'orange';
  if (score >= 30) return 'bad';
  return 'crit';
}

export const FEATURE_LABEL: Record<string, string> = {
  core: 'Core',
  analytics: 'Analytics',
  background_tasks: 'Background tasks',
  ai_inference: 'AI inference',
  web_search: 'Web search',
  uploads: 'Uploads',
  integrations: 'Integrations',
};
