'use client';

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../queries/api-fetch';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { FormError } from '../ui/field';
import { Panel } from '../ui/panel';
import { StatusPageForm } from './status-page-form';
import { statusPageKeys, type StatusPageListing } from './status-page-queries';
import { StatusPostEditor } from './status-post-editor';

type Editing = { kind: 'none' } | { kind: 'page'; slug: string | null } | { kind: 'posts'; slug: string };

/**
 * Public status pages: admins choose what each publishes, operators post incidents and
 * maintenance. Pages from the config file are shown but changed only there.
 */
export function StatusPagesPanel({ canAdminister }: { canAdminister: boolean }) {
  const client = useQueryClient();
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState<string | null>(null);
  const pages = useQuery({ queryKey: statusPageKeys.list(), queryFn: () => apiFetch<{ pages: StatusPageListing[] }>('/api/status-pages') });
  const remove = useMutation({
    mutationFn: (slug: string) => apiFetch(`/api/status-pages/${slug}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: statusPageKeys.list() }),
    onError: (e: Error) => setError(e.message),
  });
  const rows = pages.data?.pages ?? [];
  const editedPage = editing.kind === 'page' && editing.slug ? rows.find((r) => r.page.slug === editing.slug)?.page : undefined;
  return (
    <Panel
      title="Status pages"
      subtitle="public, signed out: only the labels, states, uptime and posts shown here"
      testId="panel-status-pages"
      actions={
        canAdminister ? (
          <Button className="h-7 text-xs" onClick={() => setEditing({ kind: 'page', slug: null })}>
            New page
          </Button>
        ) : null
      }
    >
      {editing.kind === 'page' ? (
        <div className="mb-4">
          <StatusPageForm key={editing.slug ?? 'new'} initial={editedPage} onDone={() => setEditing({ kind: 'none' })} />
        </div>
      ) : null}
      {rows.length === 0 ? <p className="text-sm text-muted">No status pages yet.</p> : null}
      <ul className="flex flex-col divide-y divide-border">
        {rows.map(({ page, source }) => (
          <li key={page.slug} className="flex flex-col gap-2 py-2" data-testid="status-page-row">
            <div className="flex flex-wrap items-center gap-2">
              <a href={`/status/${page.slug}`} className="font-medium text-accent hover:underline" target="_blank" rel="noreferrer">
                {page.title}
              </a>
              <span className="font-mono text-xs text-muted">/status/{page.slug}</span>
              {page.domain ? <span className="font-mono text-xs text-muted">{page.domain}</span> : null}
              <Badge>{source}</Badge>
              <span className="ml-auto flex gap-1">
                <Button
                  variant="ghost"
                  className="h-7 text-xs"
                  aria-expanded={editing.kind === 'posts' && editing.slug === page.slug}
                  onClick={() => setEditing(editing.kind === 'posts' && editing.slug === page.slug ? { kind: 'none' } : { kind: 'posts', slug: page.slug })}
                >
                  Posts
                </Button>
                {canAdminister && source === 'console' ? (
                  <>
                    <Button variant="ghost" className="h-7 text-xs" onClick={() => setEditing({ kind: 'page', slug: page.slug })}>
                      Edit
                    </Button>
                    <Button variant="ghost-danger" className="h-7 text-xs" disabled={remove.isPending} onClick={() => remove.mutate(page.slug)}>
                      Remove
                    </Button>
                  </>
                ) : null}
              </span>
            </div>
            {editing.kind === 'posts' && editing.slug === page.slug ? <StatusPostEditor slug={page.slug} /> : null}
          </li>
        ))}
      </ul>
      <FormError message={error} />
    </Panel>
  );
}
