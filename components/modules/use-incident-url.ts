'use client';

import { incidentIdSchema } from '@/lib/healing/healing-api';
import { useUrlParams } from '../url/use-url-params';

/** The open incident drawer lives in `?incident=<id>`, so a copied address opens the same timeline. */
export function useIncidentUrl() {
  const { params, update } = useUrlParams();
  const parsed = incidentIdSchema.safeParse(params.get('incident') ?? '');
  return { selected: parsed.success ? parsed.data : null, select: (id: string | null) => update({ incident: id }) };
}
