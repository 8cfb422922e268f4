'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

interface AuditPage {
  events: ChainedAuditEvent[];
  nextCursor: number | null;
}

/** Keyset pages of the filtered timeline; `filters` is the URL's filter query string. */
export function useAuditSearchQuery(filters: string, live: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.auditSearch(filters, live),
    queryFn: ({ pageParam }) => apiFetch<AuditPage>(`/api/audit?${withParam(filters, 'cursor', pageParam)}`),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
  });
}

/** One event by seq (for a selection that is not among the loaded rows, e.g. from a shared link). */
export function useAuditEventQuery(seq: number | null, loaded: ChainedAuditEvent | undefined) {
  return useQuery({
    queryKey: ['audit-event', { seq }],
    enabled: seq !== null && !loaded,
    queryFn: async () => (await apiFetch<AuditPage>(`/api/audit?cursor=${(seq ?? 0) + 1}&limit=1`)).events.find((e) => e.seq === seq) ?? null,
    staleTime: Infinity,
  });
}

function withParam(query: string, name: string, value: number | null): string {
  const params = new URLSearchParams(query);
  if (value !== null) params.set(name, String(value));
  return params.toString();
}
