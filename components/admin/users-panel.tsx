'use client';

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLES, type Role } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { DataTable, Td, Tr } from '../ui/data-table';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { InlineForm } from '../ui/inline-form';
import { RoleChangeDialog } from './role-change-dialog';
import { Panel } from '../ui/panel';
import { SelectOptions } from '../ui/select-options';

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
  const [proposed, setProposed] = useState<{ user: UserRow; role: Role } | null>(null);
  // An enable/disable refusal (the last administrator, say) belongs under the user it concerns.
  const failedUserId = change.error && !proposed ? (change.variables?.id ?? null) : null;

  return (
    <Panel title="Users" subtitle="viewer: read · operator: act · admin: users, tokens, settings" testId="panel-users">
      <DataTable className="min-w-[560px] text-sm" columns={['User', 'Role', 'Last sign-in', { label: 'Access', align: 'right' }]}>
        {(users.data?.users ?? []).map((u) => [
          <Tr key={u.id}>
            <Td className="font-medium">
              {u.username} {u.id === selfId ? <span className="text-xs text-faint">(you)</span> : null}
            </Td>
            <Td>
              <Select
                aria-label={`role of ${u.username}`}
                value={u.role}
                className="h-7 w-32 text-xs"
                disabled={change.isPending}
                onChange={(e) => {
                  change.reset();
                  setProposed({ user: u, role: e.target.value as Role });
                }}
                data-testid="user-role"
              >
                <SelectOptions values={ROLES} />
              </Select>
            </Td>
            <Td className="text-xs text-muted">{u.lastLoginAt ? formatRelative(u.lastLoginAt) : 'never'}</Td>
            <Td className="text-right">
              {u.disabled ? <Badge tone="bad">disabled</Badge> : <Badge tone="ok">active</Badge>}{' '}
              <Button
                variant={u.disabled ? 'ghost' : 'ghost-danger'}
                className="h-7 text-xs"
                disabled={change.isPending}
                onClick={() => change.mutate({ id: u.id, body: { disabled: !u.disabled } })}
                data-testid="user-toggle"
              >
                {u.disabled ? 'Enable' : 'Disable'}
              </Button>
            </Td>
          </Tr>,
          failedUserId === u.id ? (
            <Tr key={`${u.id}-error`}>
              <Td colSpan={4} className="pt-0">
                <FormError message={change.error?.message ?? null} />
              </Td>
            </Tr>
          ) : null,
        ])}
      </DataTable>
      {proposed ? (
        <RoleChangeDialog
          username={proposed.user.username}
          from={proposed.user.role}
          to={proposed.role}
          pending={change.isPending}
          error={change.error ? change.error.message : null}
          onCancel={() => {
            change.reset();
            setProposed(null);
          }}
          onConfirm={() => change.mutate({ id: proposed.user.id, body: { role: proposed.role } }, { onSuccess: () => setProposed(null) })}
        />
      ) : null}
      <InlineForm
        className="sm:grid-cols-[1fr_1fr_8rem_auto]"
        onSubmit={() => create.mutate()}
        submitLabel="Add user"
        submitTestId="new-user-submit"
        pending={create.isPending}
        error={create.error ? create.error.message : null}
      >
        <Field label="New user">
          <TextInput
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
            required
            minLength={3}
            data-testid="new-user-name"
          />
        </Field>
        <Field label="Initial password">
          <TextInput
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            required
            minLength={12}
            data-testid="new-user-password"
          />
        </Field>
        <Field label="Role">
          <Select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="new-user-role">
            <SelectOptions values={ROLES} />
          </Select>
        </Field>
      </InlineForm>
    </Panel>
  );
}
