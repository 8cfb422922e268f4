'use client';

import { useQuery } from '@tanstack/react-query';
import type { HealthPoint, HistoryRange } from '@/lib/health/history-range';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export interface HealthHistory {
  range: HistoryRange;
  resolution: 'raw' | 'minute';
  points: HealthPoint[];
}

export function useHealthHistoryQuery(range: HistoryRange) {
  return useQuery({
    queryKey: queryKeys.healthHistory(range),
    queryFn: () => apiFetch<HealthHistory>(`/api/health/history?range=${range}`),
    staleTime: Infinity,
  });
}
