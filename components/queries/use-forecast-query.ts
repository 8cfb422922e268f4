'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ForecastOverview, GovernorView } from '@/lib/forecast/forecast-views';
import type { MitigationActionId } from '@/lib/forecast/risk';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export function useForecastQuery() {
  return useQuery({ queryKey: queryKeys.forecast(), queryFn: () => apiFetch<ForecastOverview>('/api/risk'), retry: false });
}

export function useGovernorQuery() {
  return useQuery({ queryKey: queryKeys.governor(), queryFn: () => apiFetch<GovernorView>('/api/governor'), retry: false });
}

function useRefresh() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: queryKeys.forecast() });
    void client.invalidateQueries({ queryKey: queryKeys.governor() });
    void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
  };
}

export function useApplyMitigation() {
  const onSettled = useRefresh();
  return useMutation({
    mutationFn: (body: { subsystem: string; action: MitigationActionId; reason: string }) => apiFetch('/api/risk/mitigations', { method: 'POST', body }),
    onSettled,
  });
}

export function useDecideSuggestion() {
  const onSettled = useRefresh();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'applied' | 'dismissed' }) =>
      apiFetch(`/api/governor/${encodeURIComponent(id)}`, { method: 'POST', body: { decision } }),
    onSettled,
  });
}
