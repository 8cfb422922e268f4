'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import type { ThreatLevel } from '@/lib/defense/defense-types';
import { THREAT_LEVELS } from '@/lib/defense/threat-stats';

/** The feed's level filter lives in `?threatLevel=`, so a copied link shows the same feed. */
export function useThreatLevelUrl() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const raw = params.get('threatLevel');
  const level = THREAT_LEVELS.find((l) => l === raw) ?? null;

  const select = useCallback(
    (next: ThreatLevel | null) => {
      const query = new URLSearchParams(params.toString());
      if (next) query.set('threatLevel', next);
      else query.delete('threatLevel');
      const text = query.toString();
      router.push(text ? `${pathname}?${text}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  return { level, select };
}
