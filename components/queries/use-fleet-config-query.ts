'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  FleetConfigAssignmentView,
  FleetConfigHostView,
  FleetConfigRollback,
  FleetConfigSave,
  FleetConfigVersionView,
} from '@/lib/fleet/fleet-config-api';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

export interface FleetConfigOverview {
  hosts: FleetConfigHostView[];
  assignments: FleetConfigAssignmentView[];
}

/** Assignments and where each host stands; the live feed refetches it when a host answers a push. */
export function useFleetConfigQuery() {
  return useQuery({
    queryKey: queryKeys.fleetConfig(),
    queryFn: async (): Promise<FleetConfigOverview> => {
      const [hosts, assignments] = await Promise.all([
        apiFetch<FleetConfigHostView[]>('/api/fleet/config/hosts'),
        apiFetch<FleetConfigAssignmentView[]>('/api/fleet/config/assignments'),
      ]);
      return { hosts, assignments };
    },
    retry: false,
  });
}

export function useFleetConfigVersionsQuery(assignmentId: number | null) {
  return useQuery({
    queryKey: queryKeys.fleetConfigVersions(assignmentId ?? 0),
    queryFn: () => apiFetch<FleetConfigVersionView[]>(`/api/fleet/config/assignments/${assignmentId}/versions`),
    enabled: assignmentId !== null,
    retry: false,
  });
}

function useAfterSave() {
  const client = useQueryClient();
  return () => {
    // Versions are under the same key prefix: one invalidation covers the list, the hosts and every history.
    void client.invalidateQueries({ queryKey: queryKeys.fleetConfig() });
    void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
  };
}

export function useSaveFleetConfig() {
  const onSettled = useAfterSave();
  return useMutation({
    mutationFn: (body: FleetConfigSave) => apiFetch<FleetConfigAssignmentView>('/api/fleet/config/assignments', { method: 'POST', body }),
    onSettled,
  });
}

export function useRollbackFleetConfig() {
  const onSettled = useAfterSave();
  return useMutation({
    mutationFn: ({ assignmentId, ...body }: FleetConfigRollback & { assignmentId: number }) =>
      apiFetch<FleetConfigAssignmentView>(`/api/fleet/config/assignments/${assignmentId}/rollback`, { method: 'POST', body }),
    onSettled,
  });
}
