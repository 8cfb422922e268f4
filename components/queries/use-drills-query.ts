'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DrillOverview, ScenarioName } from '@/lib/drills/drill-schema';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** While a drill runs, polled so its results appear when it ends; no live event announces them. */
const RUNNING_POLL_MS = 2000;

export function useDrillsQuery() {
  return useQuery({
    queryKey: queryKeys.drills(),
    queryFn: () => apiFetch<DrillOverview>('/api/drills'),
    refetchInterval: (query) => (query.state.data?.running ? RUNNING_POLL_MS : false),
    retry: false,
  });
}

export function useStartDrill() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { scenarios?: ScenarioName[] }) => apiFetch<{ started: true }>('/api/drills', { method: 'POST', body }),
    // The worker answers once the drill has started; refetching sees `running` and starts the polling.
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.drills() }),
  });
}
