'use client';

import { useQuery } from '@tanstack/react-query';
import type { BouncerList } from '@/lib/defense/bouncers';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** Bouncers pull on their own schedule and no socket event says so: the table refreshes itself. */
export function useBouncersQuery() {
  return useQuery({
    queryKey: queryKeys.bouncers(),
    queryFn: () => apiFetch<BouncerList>('/api/defense/bouncers'),
    refetchInterval: 5000,
    retry: false,
  });
}
