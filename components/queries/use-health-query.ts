'use client';

import { useQuery } from '@tanstack/react-query';
import type { HealthSnapshot } from '@/lib/health/types';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export function useHealthQuery() {
  return useQuery({
    queryKey: queryKeys.healthCurrent(),
    queryFn: () => apiFetch<HealthSnapshot | null>('/api/health/current'),
    // Live samples keep it fresh; polling is only the fallback while the socket is down.
    staleTime: Infinity,
    retry: false,
  });
}
