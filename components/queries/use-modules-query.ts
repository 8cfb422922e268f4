'use client';

import { useQuery } from '@tanstack/react-query';
import type { ModuleView } from '@/lib/healing/module-view';
import type { ModuleLogsView } from '@/lib/healing/healing-views';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export function useModulesQuery() {
  return useQuery({
    queryKey: queryKeys.modules(),
    queryFn: () => apiFetch<ModuleView[]>('/api/modules'),
    // 'modules:changed' keeps it current; the interval only refreshes ages and sparklines
    // of modules whose state has not changed, which the worker does not announce.
    refetchInterval: 15_000,
    retry: false,
  });
}

/** Output of a supervised process; refreshed while the dialog is open. */
export function useModuleLogsQuery(name: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.moduleLogs(name),
    queryFn: () => apiFetch<ModuleLogsView>(`/api/modules/${encodeURIComponent(name)}/logs`),
    enabled,
    refetchInterval: enabled ? 2000 : false,
    retry: false,
  });
}
