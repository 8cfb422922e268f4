'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BlocklistStatus, BlocklistsResponse } from '@/lib/defense/blocklist-api';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** Imported lists: refreshes happen on the worker's schedule, so the table polls, faster while one runs. */
export function useBlocklistsQuery() {
  return useQuery({
    queryKey: queryKeys.blocklists(),
    queryFn: () => apiFetch<BlocklistsResponse>('/api/defense/blocklists'),
    refetchInterval: (query) => (query.state.data?.blocklists.some((list) => list.refreshing) ? 2000 : 60_000),
    retry: false,
  });
}

export function useRefreshBlocklist() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string }) => apiFetch<BlocklistStatus>('/api/defense/blocklists/refresh', { method: 'POST', body }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.blocklists() });
      void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
    },
  });
}
