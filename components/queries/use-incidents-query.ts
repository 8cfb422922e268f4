'use client';

import { useQuery } from '@tanstack/react-query';
import type { IncidentDetailView, IncidentListView } from '@/lib/healing/healing-views';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export function useIncidentsQuery() {
  return useQuery({
    queryKey: queryKeys.incidents(),
    queryFn: () => apiFetch<IncidentListView>('/api/incidents'),
    // The live module invalidates it on 'incident:changed'.
    refetchInterval: 60_000,
    retry: false,
  });
}

export function useIncidentQuery(id: string | null) {
  return useQuery({
    queryKey: queryKeys.incident(id ?? ''),
    queryFn: () => apiFetch<IncidentDetailView>(`/api/incidents/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
    retry: false,
  });
}
