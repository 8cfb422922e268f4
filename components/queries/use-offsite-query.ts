'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import type { OffsiteCheckResultView, OffsiteCopyView, OffsiteForgetView, OffsiteOverviewView } from '@/lib/recovery/offsite-views';
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

/** Copies one local snapshot into a repository; progress arrives over the socket meanwhile. */
export function useOffsiteCopy() {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: (body: { ref: string; to: string }) => apiFetch<OffsiteCopyView>('/api/snapshots/offsite', { method: 'POST', body }),
    onSettled,
  });
}

/** What restic lists in one repository now (not Vigil's record of it): asked for on demand, never polled. */
export function useOffsiteListing(repo: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.offsiteListing(repo),
    queryFn: () => apiFetch<OffsiteCopyView[]>(`/api/snapshots/offsite/${encodeURIComponent(repo)}`),
    enabled,
    retry: false,
  });
}
