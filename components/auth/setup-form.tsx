'use client';

import { apiFetch } from '../queries/api-fetch';
import { Field, TextInput } from '../ui/field';
import { AuthForm } from './auth-form';

export function SetupForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  return (
    <AuthForm
      submitLabel="Create administrator"
      busyLabel="Creating…"
      submitTestId="setup-submit"
      redirectTo="/"
      validate={(form) => (form.get('password') !== form.get('confirm') ? 'the two passwords differ' : null)}
      submit={(form) => apiFetch('/api/auth/setup', { method: 'POST', body: { token, username: form.get('username'), password: form.get('password') } })}
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
    </AuthForm>
  );
}
