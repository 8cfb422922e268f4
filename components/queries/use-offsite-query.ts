'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import type { OffsiteCheckResultView, OffsiteForgetView, OffsiteOverviewView } from '@/lib/recovery/offsite-views';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';
import { useRefreshAfter } from './use-recovery-mutations';

const repoUrl = (repo: string, action: string) => `/api/snapshots/offsite/${encodeURIComponent(repo)}/${action}`;

export function useOffsiteQuery() {
  return useQuery({
    queryKey: queryKeys.offsite(),
    queryFn: () => apiFetch<OffsiteOverviewView>('/api/snapshots/offsite'),
    refetchInterval: 5 * 60_000,
    retry: false,
  });
}

export function useOffsiteCheck() {
  const onSettled = useRefreshAfter();
  return useMutation({ mutationFn: (repo: string) => apiFetch<OffsiteCheckResultView>(repoUrl(repo, 'check'), { method: 'POST', body: {} }), onSettled });
}

/** Retention is always shown first (dry run); applying it is a second, deliberate call. */
export function useOffsiteForget() {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: ({ repo, dryRun }: { repo: string; dryRun: boolean }) =>
      apiFetch<OffsiteForgetView>(repoUrl(repo, 'forget'), { method: 'POST', body: { dryRun } }),
    onSettled,
  });
}
