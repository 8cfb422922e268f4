'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { HostView } from '@/lib/fleet/fleet-api';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** Every host of the fleet; the live feed refetches it when a host reports, connects, leaves or is revoked. */
export function useFleetHostsQuery() {
  return useQuery({ queryKey: queryKeys.fleetHosts(), queryFn: () => apiFetch<HostView[]>('/api/fleet/hosts'), retry: false });
}

export function useRevokeHost() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (hostId: number) => apiFetch<{ revoked: number }>(`/api/fleet/hosts/${hostId}/revoke`, { method: 'POST' }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.fleetHosts() });
      void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
    },
  });
}
