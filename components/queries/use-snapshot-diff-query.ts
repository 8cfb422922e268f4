'use client';

import { useQuery } from '@tanstack/react-query';
import type { DiffLineView } from '@/lib/recovery/recovery-views';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** `against` null compares with the live files, which the worker hashes again for it. */
export function useSnapshotDiffQuery({ ref, against, enabled }: { ref: string; against: string | null; enabled: boolean }) {
  return useQuery({
    queryKey: queryKeys.snapshotDiff(ref, against),
    queryFn: () => apiFetch<DiffLineView[]>(`/api/snapshots/${encodeURIComponent(ref)}/diff${against ? `?against=${encodeURIComponent(against)}` : ''}`),
    enabled,
    // Live files change under us: every opening asks again.
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}
