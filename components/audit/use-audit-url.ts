'use client';

import { useMemo } from 'react';
import { useUrlParams } from '../url/use-url-params';

/** The filter parameters, in a fixed order so equal views share one cache entry. */
export const FILTER_PARAMS = ['type', 'severity', 'module', 'source', 'actor', 'host', 'range', 'from', 'to', 'q'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

/** Every filter and the selection live in the URL: a copied address shows the same view, back/forward work. */
export function useAuditUrl() {
  const { params, update } = useUrlParams();

  const filterQuery = useMemo(() => {
    const out = new URLSearchParams();
    for (const name of FILTER_PARAMS) {
      const value = params.get(name);
      if (value) out.set(name, value);
    }
    return out.toString();
  }, [params]);

  // Narrowed to the audit page's own parameters.
  const setFilters: (changes: Partial<Record<FilterParam | 'event', string | null>>) => void = update;
  const selected = Number(params.get('event'));
  return {
    get: (name: FilterParam) => params.get(name) ?? '',
    list: (name: 'type' | 'severity') => (params.get(name) ?? '').split(',').filter(Boolean),
    filterQuery,
    /** "now": no upper bound, so new events belong at the top. */
    live: !params.get('to'),
    selectedSeq: Number.isInteger(selected) && selected > 0 ? selected : null,
    update: setFilters,
  };
}
