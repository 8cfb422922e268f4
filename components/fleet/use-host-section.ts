'use client';

import { useQuery } from '@tanstack/react-query';
import type { HostSection, HostSectionView } from '@/lib/fleet/fleet-query-api';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';

/** Often enough that a remote host's page follows it, rarely enough for an agent on a slow link. */
const REFRESH_MS = 15_000;

/** One host's view as its agent answered it (or the last answer the console kept). */
export function useHostSection<T>(hostId: number, section: HostSection) {
  return useQuery({
    queryKey: queryKeys.hostSection(hostId, section),
    queryFn: () => apiFetch<HostSectionView<T>>(`/api/fleet/hosts/${hostId}/${section}`),
    refetchInterval: REFRESH_MS,
    retry: false,
  });
}
