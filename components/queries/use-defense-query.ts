'use client';

import { useQuery } from '@tanstack/react-query';
import type { DefenseOverview } from '@/lib/defense/defense-types';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** Read by the dashboard and by the top bar's mode indicator on every page. */
export function useDefenseQuery() {
  return useQuery({
    queryKey: queryKeys.defense(),
    queryFn: () => apiFetch<DefenseOverview>('/api/defense'),
    // The socket keeps it current; the interval is for a lockdown expiring while nobody watches.
    refetchInterval: 60_000,
    retry: false,
  });
}
