'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatRelative } from '@/lib/format';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { DataTable, Td, Tr } from '../ui/data-table';
import { FormError } from '../ui/field';
import { Panel } from '../ui/panel';

interface ShareLinkRow {
  id: string;
  title: string;
  view: string;
  redactSources: boolean;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  uses: number;
}

function state(link: ShareLinkRow, now: number) {
  if (link.revokedAt) return <Badge tone="bad">revoked</Badge>;
  if (Date.parse(link.expiresAt) <= now) return <Badge>expired</Badge>;
  return <Badge tone="ok">active</Badge>;
}

export function ShareLinksPanel() {
  const client = useQueryClient();
  const links = useQuery({ queryKey: queryKeys.shareLinks(), queryFn: () => apiFetch<{ links: ShareLinkRow[] }>('/api/share-links') });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/share-links/${id}`, { method: 'DELETE' }),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.shareLinks() }),
  });
  // States are judged as of the fetch: a list refetched on every change is fresh enough.
  const now = links.dataUpdatedAt;
  const rows = links.data?.links ?? [];
  return (
    <Panel
      title="Shared links"
      subtitle="read-only views shared with people without an account; every use is audited"
      className="xl:col-span-2"
      testId="panel-share-links"
    >
      <DataTable
        columns={['Title', 'View', 'By', 'Expires', 'Uses', { label: 'State', align: 'right' }]}
        className="min-w-[720px] text-sm"
        empty={rows.length === 0 ? 'No links shared yet.' : undefined}
      >
        {rows.map((link) => {
          const view = JSON.parse(link.view) as { path: string; query: Record<string, string> };
          const query = new URLSearchParams(view.query).toString();
          return (
            <Tr key={link.id}>
              <Td className="font-medium">
                {link.title}
                {link.redactSources ? <span className="ml-1.5 text-xs text-faint">(sources redacted)</span> : null}
              </Td>
              <Td className="max-w-[16rem] truncate font-mono text-xs text-muted" title={`${view.path}${query ? `?${query}` : ''}`}>
                {view.path}
                {query ? `?${query}` : ''}
              </Td>
              <Td className="text-xs text-muted">{link.createdBy.replace(/^user:/, '')}</Td>
              <Td className="text-xs text-muted">{new Date(link.expiresAt).toLocaleString([], { hourCycle: 'h23' })}</Td>
              <Td className="tabular text-xs text-muted">
                {link.uses}
                {link.lastUsedAt ? ` · ${formatRelative(link.lastUsedAt, now)}` : ''}
              </Td>
              <Td className="text-right">
                {state(link, now)}
                {!link.revokedAt && Date.parse(link.expiresAt) > now ? (
                  <Button variant="ghost-danger" className="ml-1 h-7 text-xs" disabled={revoke.isPending} onClick={() => revoke.mutate(link.id)}>
                    Revoke
                  </Button>
                ) : null}
              </Td>
            </Tr>
          );
        })}
      </DataTable>
      <FormError message={revoke.error ? revoke.error.message : null} />
    </Panel>
  );
}
