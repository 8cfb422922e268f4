'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FleetCommandIssued, FleetCommandRequest, FleetCommandView } from '@/lib/fleet/fleet-command-api';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** The newest fleet commands with each host's step; the live feed writes steps into it as hosts answer. */
export function useFleetCommandsQuery() {
  return useQuery({ queryKey: queryKeys.fleetCommands(), queryFn: () => apiFetch<FleetCommandView[]>('/api/fleet/commands'), retry: false });
}

export function useSendFleetCommand() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: FleetCommandRequest) => apiFetch<FleetCommandIssued>('/api/fleet/commands', { method: 'POST', body: request }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.fleetCommands() });
      void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
    },
  });
}
