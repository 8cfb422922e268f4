'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { freezeSharedView } from '@/lib/share/freeze-view';
import type { ShareView } from '@/lib/share/share-view';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, Select, TextInput } from '../ui/field';

const LIFETIMES = [
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '7 days' },
  { hours: 24 * 30, label: '30 days' },
];

/** Creates a signed, expiring, read-only link to exactly the view on screen. */
export function ShareButton({
  view,
  defaultTitle,
  offerRedaction = false,
}: {
  view: ShareView;
  defaultTitle: string;
  /** for views that show source addresses */ offerRedaction?: boolean;
}) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(defaultTitle);
  const [hours, setHours] = useState(24);
  const [redact, setRedact] = useState(false);
  const [copied, setCopied] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      apiFetch<{ link: { path: string; expiresAt: string } }>('/api/share-links', {
        method: 'POST',
        body: { title, view: freezeSharedView(view, Date.now()), expiresInHours: hours, redactSources: redact },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.shareLinks() }),
  });
  const url = create.data ? `${window.location.origin}${create.data.link.path}` : null;

  return (
    <>
      <Button
        data-testid="share-open"
        onClick={() => {
          create.reset();
          setCopied(false);
          setTitle(defaultTitle);
          setOpen(true);
        }}
      >
        Share
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Share a read-only link to this view">
        {url ? (
          <div className="flex flex-col gap-3">
            <p className="text-sm text-muted">
              Anyone with this link sees this view, read-only, until {new Date(create.data!.link.expiresAt).toLocaleString([], { hourCycle: 'h23' })}. Each use
              is recorded in the audit trail; revoke it from Admin › Shared links.
            </p>
            <code data-testid="share-url" className="block break-all rounded border border-border bg-surface-2 px-2 py-1.5 font-mono text-xs">
              {url}
            </code>
            <div className="flex justify-end gap-2">
              <Button
                onClick={() =>
                  void (async () => {
                    await navigator.clipboard?.writeText(url).catch(() => undefined);
                    setCopied(true);
                  })()
                }
              >
                {copied ? 'Copied' : 'Copy link'}
              </Button>
              <Button variant="primary" onClick={() => setOpen(false)}>
                Done
              </Button>
            </div>
          </div>
        ) : (
          <form
            className="flex flex-col gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <Field label="Title" hint="Shown to whoever opens the link.">
              <TextInput value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} data-testid="share-title" />
            </Field>
            <Field label="Expires after">
              <Select value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="share-expiry">
                {LIFETIMES.map((l) => (
                  <option key={l.hours} value={l.hours}>
                    {l.label}
                  </option>
                ))}
              </Select>
            </Field>
            {offerRedaction ? (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} data-testid="share-redact" />
                Redact source addresses (203.0.113.x)
              </label>
            ) : null}
            <FormError message={create.error ? create.error.message : null} />
            <div className="flex justify-end gap-2">
              <Button variant="ghost" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" disabled={create.isPending || title.trim().length === 0} data-testid="share-create">
                {create.isPending ? 'Creating…' : 'Create link'}
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
