'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { RecoveryOverviewView } from '@/lib/recovery/recovery-views';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export function useRecoveryQuery() {
  return useQuery({
    queryKey: queryKeys.recovery(),
    queryFn: () => apiFetch<RecoveryOverviewView>('/api/snapshots'),
    // The live module invalidates it when an operation finishes; the interval catches the
    // golden snapshot ageing past the policy while nobody touches anything.
    refetchInterval: 5 * 60_000,
    retry: false,
  });
}

/**
 * The operation running now, as last reported over the socket. A page opened mid-operation
 * starts from the overview's `running` until the first report arrives.
 */
export function useRecoveryProgress(fallback: RecoveryProgress | null): RecoveryProgress | null {
  const client = useQueryClient();
  const live = useQuery({
    queryKey: queryKeys.recoveryProgress(),
    queryFn: () => client.getQueryData<RecoveryProgress | null>(queryKeys.recoveryProgress()) ?? null,
    staleTime: Infinity,
    enabled: false,
  });
  return live.data ?? fallback;
}
