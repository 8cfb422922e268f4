'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch } from '../queries/api-fetch';
import { Button } from '../ui/button';
import { Field, FormError, TextInput } from '../ui/field';

function safeNext(next: string | null): string {
  // Only same-site paths: a crafted ?next= must not send someone elsewhere.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginForm({ next }: { next: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        setBusy(true);
        setError(null);
        try {
          await apiFetch('/api/auth/login', { method: 'POST', body: { username: form.get('username'), password: form.get('password') } });
          router.replace(safeNext(next));
          router.refresh();
        } catch (e) {
          setError((e as Error).message);
          setBusy(false);
        }
      }}
    >
      <Field label="User name">
        <TextInput name="username" autoComplete="username" required autoFocus data-testid="login-username" />
      </Field>
      <Field label="Password">
        <TextInput name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
      </Field>
      <FormError message={error} />
      <Button type="submit" variant="primary" disabled={busy} className="h-9" data-testid="login-submit">
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
