'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EditableSection, SectionView } from '@/lib/settings/editable-sections';
import { apiFetch } from '../queries/api-fetch';

export const settingsKeys = { list: () => ['settings', {}] as const };

export function useSettingsQuery() {
  return useQuery({ queryKey: settingsKeys.list(), queryFn: () => apiFetch<{ sections: SectionView[] }>('/api/settings') });
}

/** Saves or reverts one section; the answer is the section as now in force, written into the cache. */
export function useSectionMutation(section: EditableSection) {
  const client = useQueryClient();
  const replace = (view: SectionView) =>
    client.setQueryData<{ sections: SectionView[] }>(settingsKeys.list(), (old) =>
      old ? { sections: old.sections.map((s) => (s.section === view.section ? view : s)) } : old,
    );
  const save = useMutation({
    mutationFn: (value: unknown) => apiFetch<SectionView>(`/api/settings/${section}`, { method: 'PUT', body: { value } }),
    onSuccess: replace,
  });
  const revert = useMutation({
    mutationFn: () => apiFetch<SectionView>(`/api/settings/${section}`, { method: 'DELETE' }),
    onSuccess: replace,
  });
  return { save, revert };
}

export interface ChannelTestResult {
  code: 'sent' | 'failed';
  attempts: number;
  error: string | null;
}

export function useChannelTest() {
  return useMutation({
    mutationFn: (name: string) => apiFetch<ChannelTestResult>(`/api/settings/channels/${encodeURIComponent(name)}/test`, { method: 'POST' }),
  });
}
