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
import { Field, Select, TextInput } from '../ui/field';
import { InlineForm } from '../ui/inline-form';
import { Panel } from '../ui/panel';
import { SelectOptions } from '../ui/select-options';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: { username: string } | null;
}

export function TokensPanel() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: queryKeys.tokens(), queryFn: () => apiFetch<{ tokens: TokenRow[] }>('/api/tokens') });
  const rows = tokens.data?.tokens ?? [];
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => apiFetch<{ token: { secret: string } }>('/api/tokens', { method: 'POST', body: { name, role } }),
    onSuccess: (result) => {
      setSecret(result.token.secret);
      setName('');
      void client.invalidateQueries({ queryKey: queryKeys.tokens() });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/tokens/${id}`, { method: 'DELETE' }),
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.tokens() }),
  });

  return (
    <Panel title="API tokens" subtitle="for scripts, proxies and applications; stored hashed" testId="panel-tokens">
      {secret ? (
        <div className="mb-4 rounded-md border border-ok/40 bg-ok/10 p-3 text-sm" data-testid="new-token-secret">
          <p className="mb-1 font-medium text-ok">Copy this token now: it is not shown again.</p>
          <code className="block break-all rounded bg-surface-2 px-2 py-1 font-mono text-xs">{secret}</code>
        </div>
      ) : null}
      <DataTable
        className="min-w-[600px] text-sm"
        columns={['Name', 'Token', 'Role', 'Last used', { label: '', align: 'right' }]}
        empty={rows.length === 0 ? 'No tokens yet.' : null}
      >
        {rows.map((t) => (
          <Tr key={t.id}>
            <Td>
              <div className="font-medium">{t.name}</div>
              <div className="text-xs text-faint">
                {t.createdBy ? `by ${t.createdBy.username}, ` : ''}
                {formatRelative(t.createdAt)}
              </div>
            </Td>
            <Td className="font-mono text-xs text-muted">{t.prefix}…</Td>
            <Td>
              <Badge>{t.role}</Badge>
            </Td>
            <Td className="text-xs text-muted">{t.lastUsedAt ? formatRelative(t.lastUsedAt) : 'never'}</Td>
            <Td className="text-right">
              {t.revokedAt ? (
                <Badge tone="bad">revoked</Badge>
              ) : (
                <Button variant="ghost" className="h-7 text-xs text-bad" disabled={revoke.isPending} onClick={() => revoke.mutate(t.id)}>
                  Revoke
                </Button>
              )}
            </Td>
          </Tr>
        ))}
      </DataTable>
      <InlineForm
        className="sm:grid-cols-[1fr_8rem_auto]"
        onSubmit={() => {
          setSecret(null);
          create.mutate();
        }}
        submitLabel="Create token"
        submitTestId="new-token-submit"
        pending={create.isPending}
        error={create.error?.message ?? revoke.error?.message ?? null}
      >
        <Field label="New token for">
          <TextInput value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. nginx guard, deploy script" required data-testid="new-token-name" />
        </Field>
        <Field label="Role">
          <Select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <SelectOptions values={ROLES} />
          </Select>
        </Field>
      </InlineForm>
    </Panel>
  );
}
