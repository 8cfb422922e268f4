'use client';

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROLES, type Role } from '@/lib/auth/roles';
import { SCOPE_DEFINITIONS, SCOPE_GROUPS, scopesWithin, type Scope } from '@/lib/auth/scopes';
import { formatRelative } from '@/lib/format';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { DataTable, Td, Tr } from '../ui/data-table';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-form';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { InlineForm } from '../ui/inline-form';
import { Panel } from '../ui/panel';
import { SelectOptions } from '../ui/select-options';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  /** Empty: the full access of the role; null: unreadable, so the worker refuses the token. */
  scopes: Scope[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: { username: string } | null;
}

const absolute = (iso: string) => new Date(iso).toLocaleString([], { hourCycle: 'h23' });

function When({ iso }: { iso: string }) {
  return <span title={absolute(iso)}>{formatRelative(iso)}</span>;
}

function ScopeChips({ scopes }: { scopes: Scope[] | null }) {
  if (scopes === null) return <Badge tone="bad">unreadable scopes: refused</Badge>;
  if (scopes.length === 0) return <span className="text-xs text-faint">full access of the role</span>;
  return (
    <div className="flex flex-wrap gap-1" data-testid="token-scopes">
      {scopes.map((scope) => (
        <Badge key={scope} tone="accent" className="font-mono" testId="token-scope">
          <span title={SCOPE_DEFINITIONS[scope].grants}>{scope}</span>
        </Badge>
      ))}
    </div>
  );
}

function NewSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mb-4 rounded-md border border-ok/40 bg-ok/10 p-3 text-sm" data-testid="new-token-secret">
      <p className="mb-1 font-medium text-ok">Copy this token now: it is not shown again.</p>
      <div className="flex items-center gap-2">
        <code className="block min-w-0 flex-1 break-all rounded bg-surface-2 px-2 py-1 font-mono text-xs">{secret}</code>
        <Button
          className="h-7 text-xs"
          data-testid="new-token-copy"
          onClick={() =>
            void navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => undefined,
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button variant="ghost" className="h-7 text-xs" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

function RevokeButton({ token, onRevoked }: { token: TokenRow; onRevoked: () => void }) {
  const [open, setOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: () => apiFetch(`/api/tokens/${token.id}`, { method: 'DELETE' }),
    onSuccess: () => setOpen(false),
    onSettled: onRevoked,
  });
  return (
    <>
      <Button variant="ghost-danger" className="h-7 text-xs" onClick={() => setOpen(true)} data-testid="token-revoke">
        Revoke
      </Button>
      {open ? (
        <Dialog open onClose={() => setOpen(false)} title={`Revoke "${token.name}"?`} dismissible={!revoke.isPending} testId="token-revoke-dialog">
          <form
            className="space-y-4 text-sm"
            onSubmit={(event) => {
              event.preventDefault();
              revoke.mutate();
            }}
          >
            <p className="text-muted">
              Whatever uses <code className="font-mono">{token.prefix}…</code> gets 401 within seconds. A revoked token cannot be restored; create a new one
              instead.
            </p>
            <FormError message={revoke.error?.message ?? null} />
            <DialogActions
              onCancel={() => setOpen(false)}
              label="Revoke"
              pendingLabel="Revoking…"
              pending={revoke.isPending}
              disabled={false}
              variant="danger"
              testId="token-revoke-confirm"
            />
          </form>
        </Dialog>
      ) : null}
    </>
  );
}

/** "Full access of the role" by default; otherwise the scopes picked, grouped by what they reach. */
function ScopePicker({
  role,
  restricted,
  scopes,
  onRestrictedChange,
  onScopesChange,
}: {
  role: Role;
  restricted: boolean;
  scopes: Scope[];
  onRestrictedChange: (restricted: boolean) => void;
  onScopesChange: (scopes: Scope[]) => void;
}) {
  const allowed = new Set(scopesWithin(role));
  const toggle = (scope: Scope, on: boolean) => onScopesChange(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  return (
    <fieldset className="text-sm sm:col-span-3 sm:row-start-2" data-testid="new-token-access">
      <legend className="mb-1 font-medium text-muted">Access</legend>
      <div className="flex flex-wrap gap-4">
        <label className="flex items-center gap-2">
          <input type="radio" name="token-access" checked={!restricted} onChange={() => onRestrictedChange(false)} data-testid="new-token-full-access" />
          Full access of the role
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="token-access" checked={restricted} onChange={() => onRestrictedChange(true)} data-testid="new-token-scoped" />
          Only these machine-API scopes
        </label>
      </div>
      {restricted ? (
        <div className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2 2xl:grid-cols-3">
          {SCOPE_GROUPS.map(({ group, scopes: members }) => (
            <div key={group} className="rounded-md border border-border bg-surface-2 p-2">
              <div className="mb-1 text-[11px] font-medium uppercase tracking-wide text-faint">{group}</div>
              {members.map((scope) => {
                const definition = SCOPE_DEFINITIONS[scope];
                return (
                  <label
                    key={scope}
                    className="flex items-start gap-2 py-0.5"
                    title={allowed.has(scope) ? definition.grants : `needs at least the ${definition.role} role`}
                  >
                    <input
                      type="checkbox"
                      className="mt-1"
                      checked={scopes.includes(scope)}
                      disabled={!allowed.has(scope)}
                      onChange={(e) => toggle(scope, e.target.checked)}
                      data-testid={`new-token-scope-${scope}`}
                    />
                    <span className={allowed.has(scope) ? '' : 'opacity-50'}>
                      <span className="font-mono text-xs">{scope}</span>
                      <span className="block text-xs text-faint">{definition.grants}</span>
                    </span>
                  </label>
                );
              })}
            </div>
          ))}
        </div>
      ) : (
        <p className="mt-1 text-xs text-faint">
          Every machine-API endpoint its role allows, and the operator API. Pick scopes to limit a token to what one script or proxy calls.
        </p>
      )}
    </fieldset>
  );
}

export function TokensPanel() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: queryKeys.tokens(), queryFn: () => apiFetch<{ tokens: TokenRow[] }>('/api/tokens') });
  const rows = tokens.data?.tokens ?? [];
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [restricted, setRestricted] = useState(false);
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.tokens() });
  const create = useMutation({
    mutationFn: () => apiFetch<{ token: { secret: string } }>('/api/tokens', { method: 'POST', body: { name, role, scopes: restricted ? scopes : [] } }),
    onSuccess: (result) => {
      setSecret(result.token.secret);
      setName('');
      setScopes([]);
      setRestricted(false);
      refresh();
    },
  });

  return (
    <Panel title="API tokens" subtitle="for scripts, proxies and applications; scoped, revocable, stored hashed" testId="panel-tokens">
      {secret ? <NewSecret secret={secret} onDone={() => setSecret(null)} /> : null}
      {/* Narrow enough for the admin grid's half-width column at 1280 px, where a wider table hid Revoke off to the side. */}
      <DataTable
        className="min-w-[600px] text-sm"
        columns={['Name', 'Token', 'Role', 'Scopes', 'Last used', { label: '', align: 'right' }]}
        empty={rows.length === 0 ? 'No tokens yet.' : null}
      >
        {rows.map((t) => (
          <Tr key={t.id}>
            <Td>
              <div className="font-medium">{t.name}</div>
              <div className="text-xs text-faint">
                {t.createdBy ? `by ${t.createdBy.username}, ` : ''}
                <When iso={t.createdAt} />
              </div>
            </Td>
            <Td className="font-mono text-xs text-muted">{t.prefix}…</Td>
            <Td>
              <Badge>{t.role}</Badge>
            </Td>
            <Td className="max-w-[20rem]">
              <ScopeChips scopes={t.scopes} />
            </Td>
            <Td className="whitespace-nowrap text-xs text-muted" data-testid="token-last-used">
              {t.lastUsedAt ? <When iso={t.lastUsedAt} /> : 'never'}
            </Td>
            <Td className="text-right">
              {t.revokedAt ? (
                <span title={`revoked ${absolute(t.revokedAt)}`}>
                  <Badge tone="bad">revoked</Badge>
                </span>
              ) : (
                <RevokeButton token={t} onRevoked={refresh} />
              )}
            </Td>
          </Tr>
        ))}
      </DataTable>
      <InlineForm
        className="sm:grid-cols-[1fr_8rem_auto]"
        onSubmit={() => {
          setSecret(null);
          // An empty pick would be sent as "no scopes", which means the whole role: never that by accident.
          if (restricted && scopes.length === 0) {
            setFormError('pick at least one scope, or choose full access of the role');
            return;
          }
          setFormError(null);
          create.mutate();
        }}
        submitLabel="Create token"
        submitTestId="new-token-submit"
        pending={create.isPending}
        error={formError ?? create.error?.message ?? null}
      >
        <Field label="New token for">
          <TextInput
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. nginx guard, deploy script"
            required
            data-testid="new-token-name"
          />
        </Field>
        <Field label="Role">
          <Select
            value={role}
            onChange={(e) => {
              const next = e.target.value as Role;
              setRole(next);
              setScopes((picked) => picked.filter((scope) => scopesWithin(next).includes(scope)));
            }}
            data-testid="new-token-role"
          >
            <SelectOptions values={ROLES} />
          </Select>
        </Field>
        <ScopePicker role={role} restricted={restricted} scopes={scopes} onRestrictedChange={setRestricted} onScopesChange={setScopes} />
      </InlineForm>
    </Panel>
  );
}
