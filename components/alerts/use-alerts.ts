'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertRuleInput, SilenceInput } from '@/lib/alerts/alert-rules';
import type { AlertView, RuleView, SilenceView } from '@/lib/alerts/alert-views';
import { apiFetch } from '../queries/api-fetch';

export interface AlertsOverview {
  alerts: AlertView[];
  silences: SilenceView[];
  rules: RuleView[];
  channels: string[];
}

// Its own key, kept here so the alerts console stays one self-contained folder.
const ALERTS_KEY = ['alerts', {}] as const;

export function useAlertsQuery() {
  // Alerts change on the worker's schedule (group wait, repeats), not on a socket event the console hears of.
  return useQuery({ queryKey: ALERTS_KEY, queryFn: () => apiFetch<AlertsOverview>('/api/alerts'), refetchInterval: 5000, retry: false });
}

function useAlertsMutation<I>(request: (input: I) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: request, onSettled: () => void client.invalidateQueries({ queryKey: ALERTS_KEY }) });
}

export const useAcknowledgeAlert = () =>
  useAlertsMutation((input: { id: string; comment: string }) =>
    apiFetch(`/api/alerts/${encodeURIComponent(input.id)}/acknowledge`, { method: 'POST', body: { comment: input.comment } }),
  );
export const useCreateSilence = () => useAlertsMutation((input: SilenceInput) => apiFetch('/api/alerts/silences', { method: 'POST', body: input }));
export const useExpireSilence = () => useAlertsMutation((id: string) => apiFetch(`/api/alerts/silences/${encodeURIComponent(id)}/expire`, { method: 'POST' }));
export const useSaveRule = () => useAlertsMutation((rule: AlertRuleInput) => apiFetch('/api/alerts/rules', { method: 'PUT', body: rule }));
export const useRemoveRule = () => useAlertsMutation((name: string) => apiFetch('/api/alerts/rules/remove', { method: 'POST', body: { name } }));
