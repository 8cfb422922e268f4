'use client';

import { useQuery } from '@tanstack/react-query';
import type { ConfigStatus } from '@/lib/config/config-status';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** Read by the banner on every page; 'config:status' keeps it current, so it never polls. */
export function useConfigStatusQuery() {
  return useQuery({
    queryKey: queryKeys.configStatus(),
    queryFn: () => apiFetch<ConfigStatus | null>('/api/config/status'),
    retry: false,
  });
}
