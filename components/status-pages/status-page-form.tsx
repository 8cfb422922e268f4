'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { StatusPageDefinition } from '@/lib/status-pages/status-page-schema';
import { apiFetch } from '../queries/api-fetch';
import { Button } from '../ui/button';
import { Field, FormError, TextInput } from '../ui/field';
import { formatModuleLines, parseModuleLines } from './module-lines';
import { statusPageKeys } from './status-page-queries';

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error('could not read the file'));
    reader.readAsDataURL(file);
  });

/** Creates or edits a console status page; the server validates (and says which field is wrong). */
export function StatusPageForm({ initial, onDone }: { initial?: StatusPageDefinition; onDone: () => void }) {
  const client = useQueryClient();
  const [logo, setLogo] = useState(initial?.logo ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (page: unknown) => apiFetch('/api/status-pages', { method: 'POST', body: page }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: statusPageKeys.list() });
      onDone();
    },
    onError: (e: Error) => setError(e.message),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setError(null);
    save.mutate({
      slug: text('slug'),
      title: text('title'),
      ...(text('description') ? { description: text('description') } : {}),
      modules: parseModuleLines(text('modules')),
      ...(logo ? { logo } : {}),
      ...(text('domain') ? { domain: text('domain') } : {}),
    });
  };
  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-3 sm:grid-cols-2" data-testid="status-page-form">
      <Field label="Slug" hint="the page is at /status/<slug>">
        <TextInput name="slug" required defaultValue={initial?.slug} readOnly={Boolean(initial)} pattern="[a-z0-9][a-z0-9\-]{0,62}" />
      </Field>
      <Field label="Title">
        <TextInput name="title" required maxLength={120} defaultValue={initial?.title} />
      </Field>
      <Field label="Description (optional)">
        <TextInput name="description" maxLength={500} defaultValue={initial?.description} />
      </Field>
      <Field label="Custom domain (optional)" hint="its / shows this page">
        <TextInput name="domain" placeholder="status.example.com" defaultValue={initial?.domain} />
      </Field>
      <div className="sm:col-span-2">
        <Field label="Modules" hint="one a line: name, or name = Public label (only the label is published)">
          <textarea
            name="modules"
            required
            rows={4}
            defaultValue={initial ? formatModuleLines(initial.modules) : ''}
            className="w-full rounded-md border border-border bg-surface px-3 py-2 font-mono text-sm text-text focus:border-accent focus:outline-none"
          />
        </Field>
      </div>
      <Field label="Logo address (https, optional)">
        <TextInput name="logo-url" value={logo.startsWith('data:') ? '' : logo} onChange={(e) => setLogo(e.target.value.trim())} placeholder="https://…" />
      </Field>
      <Field label="…or upload a logo" hint={logo.startsWith('data:') ? 'uploaded image set' : 'PNG, JPEG, WebP or GIF under 70 KB'}>
        <input
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          className="text-sm"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) readAsDataUrl(file).then(setLogo, (failure: Error) => setError(failure.message));
          }}
        />
      </Field>
      <div className="flex items-center gap-2 sm:col-span-2">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {initial ? 'Save page' : 'Create page'}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <div className="sm:col-span-2">
        <FormError message={error} />
      </div>
    </form>
  );
}
