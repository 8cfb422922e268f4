'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AllowlistEntry, DefenseDecision, DefenseOverview } from '@/lib/defense/defense-types';
import { apiFetch } from './api-fetch';
import { queryKeys } from './query-keys';

/** What the isolate form sends: a preset duration such as "4h", or indefinite. */
export interface IsolateBody {
  source: string;
  reason: string;
  duration?: string;
  indefinite?: boolean;
}

/** The socket brings the change too; refetching covers a page whose socket is away. */
function useRefreshAfter() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: queryKeys.defense() });
    void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
  };
}

function useDefenseCommand<B, R>(path: string) {
  const onSettled = useRefreshAfter();
  return useMutation({ mutationFn: (body: B) => apiFetch<R>(path, { method: 'POST', body }), onSettled });
}

export const useIsolateSource = () => useDefenseCommand<IsolateBody, DefenseDecision>('/api/defense/isolations');
export const useRestoreSource = () => useDefenseCommand<{ source: string; reason: string }, DefenseDecision>('/api/defense/isolations/restore');
export const useLockdown = () => useDefenseCommand<{ reason: string; expiresAt?: string }, DefenseOverview>('/api/defense/lockdown');
export const useLiftLockdown = () => useDefenseCommand<{ reason: string }, DefenseOverview>('/api/defense/lockdown/lift');
export const useAllowSource = () => useDefenseCommand<{ source: string; reason: string }, { allowlist: AllowlistEntry[] }>('/api/defense/allowlist');
export const useDisallowSource = () => useDefenseCommand<{ source: string; reason: string }, { allowlist: AllowlistEntry[] }>('/api/defense/allowlist/remove');
