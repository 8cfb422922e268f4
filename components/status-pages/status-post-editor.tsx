'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { INCIDENT_STATUSES, MAINTENANCE_STATUSES } from '@/lib/status-pages/status-page-schema';
import type { PublicPost } from '@/lib/status-pages/status-view';
import { apiFetch } from '../queries/api-fetch';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { statusPageKeys, type StatusPosts } from './status-page-queries';

const TEXTAREA = 'w-full rounded-md border border-border bg-surface px-3 py-2 text-sm text-text focus:border-accent focus:outline-none';
/** A datetime-local value (the operator's zone) as an ISO instant; empty stays absent. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

function usePostMutation(slug: string, onError: (message: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ path, method = 'POST', body }: { path: string; method?: string; body?: unknown }) =>
      apiFetch(`/api/status-pages/${slug}/posts${path}`, { method, body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: statusPageKeys.posts(slug) }),
    onError: (e: Error) => onError(e.message),
  });
}

function NewPostForm({ slug }: { slug: string }) {
  const [kind, setKind] = useState<'incident' | 'maintenance'>('incident');
  const [error, setError] = useState<string | null>(null);
  const create = usePostMutation(slug, setError);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setError(null);
    create.mutate(
      {
        path: '',
        body: {
          kind,
          title: text('title'),
          impact: kind === 'maintenance' ? 'maintenance' : text('impact'),
          message: text('message'),
          startsAt: isoOf(text('startsAt')),
          endsAt: isoOf(text('endsAt')),
        },
      },
      { onSuccess: () => formElement.reset() },
    );
  };
  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-3 sm:grid-cols-2" aria-label="New post" data-testid="status-post-form">
      <Field label="Kind">
        <Select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'incident' | 'maintenance')}>
          <option value="incident">Incident</option>
          <option value="maintenance">Scheduled maintenance</option>
        </Select>
      </Field>
      <Field label="Title">
        <TextInput name="title" required maxLength={200} />
      </Field>
      {kind === 'incident' ? (
        <Field label="Impact">
          <Select name="impact" defaultValue="minor">
            <option value="none">None</option>
            <option value="minor">Minor</option>
            <option value="major">Major</option>
          </Select>
        </Field>
      ) : null}
      <Field label={kind === 'maintenance' ? 'Starts' : 'Started (optional, now if empty)'}>
        <TextInput name="startsAt" type="datetime-local" required={kind === 'maintenance'} />
      </Field>
      {kind === 'maintenance' ? (
        <Field label="Ends">
          <TextInput name="endsAt" type="datetime-local" required />
        </Field>
      ) : null}
      <div className="sm:col-span-2">
        <Field label="Message (published)">
          <textarea name="message" required rows={3} maxLength={4000} className={TEXTAREA} />
        </Field>
      </div>
      <div className="sm:col-span-2">
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {kind === 'maintenance' ? 'Schedule maintenance' : 'Post incident'}
        </Button>
      </div>
      <div className="sm:col-span-2">
        <FormError message={error} />
      </div>
    </form>
  );
}

function PostCard({ slug, post, open }: { slug: string; post: PublicPost; open: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const change = usePostMutation(slug, setError);
  const statuses = post.kind === 'maintenance' ? MAINTENANCE_STATUSES : INCIDENT_STATUSES;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    change.mutate(
      { path: `/${post.id}/updates`, body: { status: String(form.get('status')), message: String(form.get('message') ?? '').trim() } },
      { onSuccess: () => formElement.reset() },
    );
  };
  return (
    <li className="rounded-md border border-border p-3" data-testid="status-post">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{post.title}</span>
        <Badge tone={post.kind === 'maintenance' ? 'neutral' : 'bad'}>{post.kind}</Badge>
        <span className="text-xs text-faint">{new Date(post.startsAt).toLocaleString([], { hourCycle: 'h23' })}</span>
        <Button
          variant="ghost-danger"
          className="ml-auto h-7 text-xs"
          disabled={change.isPending}
          onClick={() => change.mutate({ path: `/${post.id}`, method: 'DELETE' })}
        >
          Remove
        </Button>
      </div>
      <ol className="mt-2 space-y-1 text-sm">
        {post.updates.map((u) => (
          <li key={u.at + u.status} className="border-l-2 border-border pl-2">
            <span className="font-medium">{u.status.replace('_', ' ')}</span>{' '}
            <span className="text-xs text-faint">{new Date(u.at).toLocaleString([], { hourCycle: 'h23' })}</span>
            <div className="whitespace-pre-line break-words text-muted">{u.message}</div>
          </li>
        ))}
      </ol>
      {open ? (
        <form onSubmit={submit} className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-end" aria-label={`Update ${post.title}`}>
          <Field label="Status">
            <Select name="status" defaultValue={statuses[1]}>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ')}
                </option>
              ))}
            </Select>
          </Field>
          <div className="flex-1">
            <Field label="Update (published)">
              <TextInput name="message" required maxLength={4000} />
            </Field>
          </div>
          <Button type="submit" disabled={change.isPending}>
            Add update
          </Button>
        </form>
      ) : null}
      <FormError message={error} />
    </li>
  );
}

/** The operators' editor for one page's incident and maintenance posts; every change is audited by the worker. */
export function StatusPostEditor({ slug }: { slug: string }) {
  const posts = useQuery({ queryKey: statusPageKeys.posts(slug), queryFn: () => apiFetch<StatusPosts>(`/api/status-pages/${slug}/posts`) });
  const open = [...(posts.data?.active ?? []), ...(posts.data?.upcoming ?? [])];
  return (
    <div className="flex flex-col gap-4">
      <NewPostForm slug={slug} />
      <ul className="flex flex-col gap-2" aria-label="Open posts">
        {open.map((post) => (
          <PostCard key={post.id} slug={slug} post={post} open />
        ))}
      </ul>
      {posts.data && posts.data.past.length > 0 ? (
        <details>
          <summary className="cursor-pointer text-sm text-muted">Closed in the last 14 days ({posts.data.past.length})</summary>
          <ul className="mt-2 flex flex-col gap-2">
            {posts.data.past.map((post) => (
              <PostCard key={post.id} slug={slug} post={post} open={false} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
