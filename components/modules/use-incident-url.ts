'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { incidentIdSchema } from '@/lib/healing/healing-api';

/** The open incident drawer lives in `?incident=<id>`, so a copied address opens the same timeline. */
export function useIncidentUrl() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const parsed = incidentIdSchema.safeParse(params.get('incident') ?? '');

  const select = useCallback(
    (id: string | null) => {
      const next = new URLSearchParams(params.toString());
      if (id) next.set('incident', id);
      else next.delete('incident');
      const query = next.toString();
      router.push(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  return { selected: parsed.success ? parsed.data : null, select };
}
