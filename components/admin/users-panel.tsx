'use client';

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLES, type Role } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { Panel } from '../ui/panel';

interface UserRow {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export function UsersPanel({ selfId }: { selfId: string }) {
  const client = useQueryClient();
  const users = useQuery({ queryKey: queryKeys.users(), queryFn: () => apiFetch<{ users: UserRow[] }>('/api/users') });
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' as Role });
  const create = useMutation({
    mutationFn: () => apiFetch('/api/users', { method: 'POST', body: form }),
    onSuccess: () => {
      setForm({ username: '', password: '', role: 'viewer' });
      void client.invalidateQueries({ queryKey: queryKeys.users() });
    },
  });
  const change = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { role?: Role; disabled?: boolean } }) => apiFetch(`/api/users/${id}`, { method: 'PATCH', body }),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.users() }),
  });

  return (
    <Panel title="Users" subtitle="viewer: read · operator: act · admin: users, tokens, settings" testId="panel-users">
      <div className="-mx-4 overflow-x-auto">
        <table className="w-full min-w-[560px] text-left text-sm">
          <thead className="text-[11px] uppercase tracking-wide text-faint">
            <tr className="border-b border-border">
              <th className="px-4 py-1.5 font-medium">User</th>
              <th className="px-2 py-1.5 font-medium">Role</th>
              <th className="px-2 py-1.5 font-medium">Last sign-in</th>
              <th className="px-4 py-1.5 text-right font-medium">Access</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.users ?? []).map((u) => (
              <tr key={u.id} className="border-b border-border/60 last:border-0">
                <td className="px-4 py-1.5 font-medium">
                  {u.username} {u.id === selfId ? <span className="text-xs text-faint">(you)</span> : null}
                </td>
                <td className="px-2 py-1.5">
                  <Select
                    aria-label={`role of ${u.username}`}
                    value={u.role}
                    className="h-7 w-32 text-xs"
                    disabled={change.isPending}
                    onChange={(e) => change.mutate({ id: u.id, body: { role: e.target.value as Role } })}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </Select>
                </td>
                <td className="px-2 py-1.5 text-xs text-muted">{u.lastLoginAt ? formatRelative(u.lastLoginAt) : 'never'}</td>
                <td className="px-4 py-1.5 text-right">
                  {u.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="ok">active</Badge>}{' '}
                  <Button variant="ghost" className="h-7 text-xs" disabled={change.isPending} onClick={() => change.mutate({ id: u.id, body: { disabled: !u.disabled } })}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError message={change.error ? change.error.message : null} />
      <form
        className="mt-4 grid grid-cols-1 items-end gap-3 border-t border-border pt-4 sm:grid-cols-[1fr_1fr_8rem_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label="New user">
          <TextInput value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required minLength={3} data-testid="new-user-name" />
        </Field>
        <Field label="Initial password">
          <TextInput type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required minLength={12} data-testid="new-user-password" />
        </Field>
        <Field label="Role">
          <Select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="new-user-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="primary" className="h-9" disabled={create.isPending} data-testid="new-user-submit">
          Add user
        </Button>
      </form>
      <div className="mt-2">
        <FormError message={create.error ? create.error.message : null} />
      </div>
    </Panel>
  );
}
