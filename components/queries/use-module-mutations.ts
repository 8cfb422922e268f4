'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ModuleControlRequest } from '@/lib/healing/healing-api';
import type { ModuleDefinition } from '@/lib/healing/module-schema';
import type { ModuleView } from '@/lib/healing/module-view';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

const moduleUrl = (name: string, action: string) => `/api/modules/${encodeURIComponent(name)}/${action}`;

/** The answer is the module as it is now: put it in the table before the socket repeats it. */
function useModuleSettled() {
  const client = useQueryClient();
  return {
    onSuccess: (view: ModuleView) => {
      client.setQueryData<ModuleView[]>(queryKeys.modules(), (rows) =>
        rows ? (rows.some((m) => m.name === view.name) ? rows.map((m) => (m.name === view.name ? view : m)) : [...rows, view]) : rows,
      );
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.incidents() });
      void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
    },
  };
}

export function useControlModule() {
  return useMutation({
    mutationFn: ({ name, ...body }: ModuleControlRequest & { name: string }) => apiFetch<ModuleView>(moduleUrl(name, 'control'), { method: 'POST', body }),
    ...useModuleSettled(),
  });
}

export function useDecideApproval() {
  return useMutation({
    mutationFn: ({ name, approve }: { name: string; approve: boolean }) =>
      apiFetch<ModuleView>(moduleUrl(name, 'approval'), { method: 'POST', body: { approve } }),
    ...useModuleSettled(),
  });
}

/** `definition` goes to the server as typed: it validates and answers 422 naming the field. */
export function useDefineModule() {
  return useMutation({
    mutationFn: (definition: Record<string, unknown>) => apiFetch<ModuleView>('/api/modules', { method: 'POST', body: definition }),
    ...useModuleSettled(),
  });
}

/** A console module's stored definition, fetched when its editor opens (never cached past it: another operator may change it). */
export function useModuleDefinition(name: string) {
  return useQuery({
    queryKey: queryKeys.moduleDefinition(name),
    queryFn: () => apiFetch<ModuleDefinition>(`/api/modules/${encodeURIComponent(name)}`),
    gcTime: 0,
    staleTime: 0,
    retry: false,
  });
}

/** Deleting takes the row out of the table at once; the socket's 'modules:changed' agrees a moment later. */
export function useRemoveModule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => apiFetch<unknown>(`/api/modules/${encodeURIComponent(name)}`, { method: 'DELETE' }),
    onSuccess: (_answer, name) => client.setQueryData<ModuleView[]>(queryKeys.modules(), (rows) => rows?.filter((m) => m.name !== name)),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() }),
  });
}
