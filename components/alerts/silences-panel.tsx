'use client';

import { useState, type FormEvent } from 'react';
import type { SilenceView } from '@/lib/alerts/alert-views';
import { formatClock } from '@/lib/format';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Field, FormError, TextInput } from '../ui/field';
import { useCreateSilence, useExpireSilence } from './use-alerts';

/** Silences with their author and expiry; one matcher per silence from here (the API takes several). */
export function SilencesPanel({ silences, canOperate }: { silences: SilenceView[]; canOperate: boolean }) {
  const create = useCreateSilence();
  const expire = useExpireSilence();
  const [form, setForm] = useState({ name: 'rule', value: '', minutes: '60', comment: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { matchers: [{ name: form.name, value: form.value }], durationMinutes: Number(form.minutes), comment: form.comment },
      { onSuccess: () => setForm({ ...form, value: '', comment: '' }) },
    );
  };
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-2" data-testid="silence-list">
        {silences.length === 0 ? <li className="text-sm text-muted">No silences.</li> : null}
        {silences.map((silence) => (
          <li key={silence.id} className="flex flex-wrap items-center gap-2 rounded-md border border-border p-2 text-sm">
            <Badge tone={silence.active ? 'accent' : 'neutral'}>{silence.active ? 'active' : 'expired'}</Badge>
            <span className="font-mono text-xs">{silence.matchers.map((m) => `${m.name}=${m.value}`).join(', ')}</span>
            <span className="text-xs text-muted">
              by {silence.author} until {formatClock(silence.endsAt)}: {silence.comment}
            </span>
            {canOperate && silence.active ? (
              <Button className="ml-auto" variant="ghost-danger" onClick={() => expire.mutate(silence.id)}>
                Expire
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {canOperate ? (
        <form onSubmit={submit} className="grid grid-cols-1 gap-2 sm:grid-cols-2" aria-label="New silence">
          <Field label="Label">
            <TextInput value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={64} />
          </Field>
          <Field label="Value (* wildcards)">
            <TextInput value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} maxLength={500} placeholder="critical threat" />
          </Field>
          <Field label="Minutes">
            <TextInput type="number" min={1} value={form.minutes} onChange={(e) => setForm({ ...form, minutes: e.target.value })} required />
          </Field>
          <Field label="Why">
            <TextInput value={form.comment} onChange={(e) => setForm({ ...form, comment: e.target.value })} required maxLength={500} />
          </Field>
          <div className="sm:col-span-2">
            <FormError message={create.error ? create.error.message : null} />
            <Button type="submit" variant="primary" disabled={create.isPending}>
              Silence
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
