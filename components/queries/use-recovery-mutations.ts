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

export function useRestoreSnapshot() {
  const onSettled = useRefreshAfter();
  return useMutation({
    mutationFn: ({ ref, ...body }: { ref: string; reason: string; mirror: boolean; dryRun: boolean }) =>
      apiFetch<RestoreResultView>(snapshotUrl(ref, 'restore'), { method: 'POST', body }),
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
