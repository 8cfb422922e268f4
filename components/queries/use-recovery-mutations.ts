'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PruneResultView, RestoreResultView } from '@/lib/recovery/recovery-views';
import type { SnapshotHeader, SnapshotTag, VerificationSummary } from '@/lib/recovery/snapshot-schema';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

const snapshotUrl = (ref: string, action: string) => `/api/snapshots/${encodeURIComponent(ref)}/${action}`;

/** Whatever the outcome, the list, the golden status and the audit trail may have moved. */
export function useRefreshAfter() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: queryKeys.recovery() });
    void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
  };
}

export function useCreateSnapshot() {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: (body: { name?: string; tags: SnapshotTag[] }) => apiFetch<SnapshotHeader>('/api/snapshots', { method: 'POST', body }),
    onSettled,
  });
}

export function useVerifySnapshot() {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: (ref: string) => apiFetch<VerificationSummary>(snapshotUrl(ref, 'verify'), { method: 'POST' }),
    onSettled,
  });
}

/** Golden restore of a local snapshot, or (`from` a repository) of one fetched from off-site first: the same restore after the fetch. */
export function useRestoreSnapshot(from?: string) {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: ({ ref, ...body }: { ref: string; reason: string; mirror: boolean; dryRun: boolean }) =>
      from === undefined
        ? apiFetch<RestoreResultView>(snapshotUrl(ref, 'restore'), { method: 'POST', body })
        : apiFetch<RestoreResultView>(`/api/snapshots/offsite/${encodeURIComponent(from)}/restore`, { method: 'POST', body: { ref, ...body } }),
    onSettled,
  });
}

export function useSettleRestore() {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: (body: { action: 'resume' | 'rollback'; reason: string }) => apiFetch<RestoreResultView>('/api/snapshots/settle', { method: 'POST', body }),
    onSettled,
  });
}

export function usePruneSnapshots() {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: (body: { dryRun: boolean }) => apiFetch<PruneResultView>('/api/snapshots/prune', { method: 'POST', body }),
    onSettled,
  });
}
