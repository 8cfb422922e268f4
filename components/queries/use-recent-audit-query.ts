'use client';

import { useQuery } from '@tanstack/react-query';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export function useRecentAuditQuery(limit = 12) {
  return useQuery({
    queryKey: queryKeys.auditRecent(limit),
    queryFn: () => apiFetch<{ events: ChainedAuditEvent[] }>(`/api/audit/recent?limit=${limit}`),
    staleTime: 30_000,
  });
}
