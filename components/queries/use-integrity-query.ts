'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IntegrityStatus } from '@/lib/integrity/integrity-status';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export function useIntegrityQuery() {
  return useQuery({
    queryKey: queryKeys.integrity(),
    queryFn: () => apiFetch<IntegrityStatus>('/api/integrity'),
    // Scheduled scans report no finding when nothing changed; the interval shows that they ran.
    refetchInterval: 5 * 60_000,
    retry: false,
  });
}

export function useRebaselineIntegrity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { reason: string }) => apiFetch<IntegrityStatus>('/api/integrity/rebaseline', { method: 'POST', body }),
    onSuccess: (status) => client.setQueryData(queryKeys.integrity(), status),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() }),
  });
}
