'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch } from '../queries/api-fetch';
import { Button } from '../ui/button';
import { Field, FormError, TextInput } from '../ui/field';

export function SetupForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        if (form.get('password') !== form.get('confirm')) {
          setError('the two passwords differ');
          return;
        }
        setBusy(true);
        setError(null);
        try {
          await apiFetch('/api/auth/setup', { method: 'POST', body: { token, username: form.get('username'), password: form.get('password') } });
          router.replace('/');
          router.refresh();
        } catch (e) {
          setError((e as Error).message);
          setBusy(false);
        }
      }}
    >
      <Field label="Administrator user name">
        <TextInput name="username" defaultValue="admin" autoComplete="username" required minLength={3} data-testid="setup-username" />
      </Field>
      <Field label="Password" hint={`At least ${minPasswordLength} characters; a passphrase works well.`}>
        <TextInput name="password" type="password" autoComplete="new-password" required minLength={minPasswordLength} data-testid="setup-password" />
      </Field>
      <Field label="Repeat the password">
        <TextInput name="confirm" type="password" autoComplete="new-password" required minLength={minPasswordLength} data-testid="setup-confirm" />
      </Field>
      <FormError message={error} />
      <Button type="submit" variant="primary" disabled={busy} className="h-9" data-testid="setup-submit">
        {busy ? 'Creating…' : 'Create administrator'}
      </Button>
    </form>
  );
}
