'use client';

import type { ThreatLevel } from '@/lib/defense/defense-types';
import { THREAT_LEVELS } from '@/lib/defense/threat-stats';
import { useUrlParams } from '../url/use-url-params';

/** The feed's level filter lives in `?threatLevel=`, so a copied link shows the same feed. */
export function useThreatLevelUrl() {
  const { params, update } = useUrlParams();
  const raw = params.get('threatLevel');
  const level = THREAT_LEVELS.find((l) => l === raw) ?? null;
  return { level, select: (next: ThreatLevel | null) => update({ threatLevel: next }) };
}
