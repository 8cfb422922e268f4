'use client';

import { apiFetch } from '../queries/api-fetch';
import { Field, TextInput } from '../ui/field';
import { sameOriginPath } from '@/lib/auth/return-path';
import { AuthForm } from './auth-form';

export function LoginForm({ next }: { next: string | null }) {
  return (
    <AuthForm
      submitLabel="Sign in"
      busyLabel="Signing in…"
      submitTestId="login-submit"
      redirectTo={() => sameOriginPath(next, window.location.origin)}
      submit={(form) => apiFetch('/api/auth/login', { method: 'POST', body: { username: form.get('username'), password: form.get('password') } })}
    >
      <Field label="User name">
        <TextInput name="username" autoComplete="username" required autoFocus data-testid="login-username" />
      </Field>
      <Field label="Password">
        <TextInput name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
      </Field>
    </AuthForm>
  );
}
