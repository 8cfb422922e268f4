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
      <div className="-mx-4 overflow-x-auto">
        <table className="w-full min-w-[600px] text-left text-sm">
          <thead className="text-[11px] uppercase tracking-wide text-faint">
            <tr className="border-b border-border">
              <th className="px-4 py-1.5 font-medium">Name</th>
              <th className="px-2 py-1.5 font-medium">Token</th>
              <th className="px-2 py-1.5 font-medium">Role</th>
              <th className="px-2 py-1.5 font-medium">Last used</th>
              <th className="px-4 py-1.5 text-right font-medium" />
            </tr>
          </thead>
          <tbody>
            {(tokens.data?.tokens ?? []).length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-3 text-center text-xs text-faint">
                  No tokens yet.
                </td>
              </tr>
            ) : null}
            {(tokens.data?.tokens ?? []).map((t) => (
              <tr key={t.id} className="border-b border-border/60 last:border-0">
                <td className="px-4 py-1.5">
                  <div className="font-medium">{t.name}</div>
                  <div className="text-xs text-faint">
                    {t.createdBy ? `by ${t.createdBy.username}, ` : ''}
                    {formatRelative(t.createdAt)}
                  </div>
                </td>
                <td className="px-2 py-1.5 font-mono text-xs text-muted">{t.prefix}…</td>
                <td className="px-2 py-1.5">
                  <Badge>{t.role}</Badge>
                </td>
                <td className="px-2 py-1.5 text-xs text-muted">{t.lastUsedAt ? formatRelative(t.lastUsedAt) : 'never'}</td>
                <td className="px-4 py-1.5 text-right">
                  {t.revokedAt ? (
                    <Badge tone="bad">revoked</Badge>
                  ) : (
                    <Button variant="ghost" className="h-7 text-xs text-bad" disabled={revoke.isPending} onClick={() => revoke.mutate(t.id)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="mt-4 grid grid-cols-1 items-end gap-3 border-t border-border pt-4 sm:grid-cols-[1fr_8rem_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          setSecret(null);
          create.mutate();
        }}
      >
        <Field label="New token for">
          <TextInput value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. nginx guard, deploy script" required data-testid="new-token-name" />
        </Field>
        <Field label="Role">
          <Select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="primary" className="h-9" disabled={create.isPending} data-testid="new-token-submit">
          Create token
        </Button>
      </form>
      <div className="mt-2">
        <FormError message={create.error?.message ?? revoke.error?.message ?? null} />
      </div>
    </Panel>
  );
}
