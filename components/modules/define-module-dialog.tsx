'use client';

import { useState } from 'react';
import { describeIssues } from '@/lib/http-error';
import { moduleSchema } from '@/lib/healing/module-schema';
import { ApiRequestError } from '../queries/api-fetch';
import { useDefineModule } from '../queries/use-module-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { fieldIssues } from '@/lib/field-issues';

/** Kinds an operator may define; process and command modules run programs and are for admins, in the config file or the API. */
const KINDS = ['http', 'tcp', 'push'] as const;
type Kind = (typeof KINDS)[number];

interface Draft {
  name: string;
  kind: Kind;
  url: string;
  host: string;
  port: string;
  token: string;
  intervalSeconds: string;
  critical: boolean;
}

const EMPTY: Draft = { name: '', kind: 'http', url: '', host: '127.0.0.1', port: '', token: '', intervalSeconds: '30', critical: false };

function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}

function definitionOf(draft: Draft): Record<string, unknown> {
  const common = { name: draft.name.trim(), kind: draft.kind, intervalSeconds: Number(draft.intervalSeconds), critical: draft.critical };
  if (draft.kind === 'http') return { ...common, url: draft.url.trim() };
  if (draft.kind === 'tcp') return { ...common, host: draft.host.trim(), port: Number(draft.port) };
  return { ...common, token: draft.token };
}

function Issue({ text }: { text: string | undefined }) {
  return text ? (
    <span className="text-xs text-bad" data-testid="field-issue">
      {text}
    </span>
  ) : null;
}

/** A console module for the kinds that need no program: the same schema checks it here and on the server. */
export function DefineModuleDialog() {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const define = useDefineModule();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const close = () => {
    setOpen(false);
    setDraft(EMPTY);
    setIssues({});
    define.reset();
  };
  const submit = () => {
    const definition = definitionOf(draft);
    const checked = moduleSchema.safeParse(definition);
    if (!checked.success) return setIssues(fieldIssues(describeIssues(checked.error.issues)));
    setIssues({});
    define.mutate(definition, {
      onSuccess: close,
      onError: (error) => {
        if (error instanceof ApiRequestError && error.status === 422) setIssues(fieldIssues(error.message));
      },
    });
  };
  const unplaced =
    define.error && !(define.error instanceof ApiRequestError && define.error.status === 422 && Object.keys(fieldIssues(define.error.message)).length)
      ? define.error.message
      : null;

  return (
    <>
      <Button className="h-7 px-2 text-xs" onClick={() => setOpen(true)} data-testid="module-define-open">
        Define module
      </Button>
      {open ? (
        <Dialog open onClose={close} title="Define a module" dismissible={!define.isPending} testId="module-define-dialog">
          <form
            className="flex flex-col gap-3"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <div className="grid grid-cols-[1fr_7rem] gap-3">
              <Field label="Name" hint={<Issue text={issues.name} />}>
                <TextInput
                  value={draft.name}
                  onChange={(e) => set('name', e.target.value)}
                  placeholder="checkout-api"
                  className="font-mono"
                  data-testid="module-define-name"
                />
              </Field>
              <Field label="Kind">
                <Select value={draft.kind} onChange={(e) => set('kind', e.target.value as Kind)} data-testid="module-define-kind">
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            {draft.kind === 'http' ? (
              <Field label="URL" hint={issues.url ? <Issue text={issues.url} /> : 'Probed with GET; 2xx and 3xx count as up.'}>
                <TextInput
                  value={draft.url}
                  onChange={(e) => set('url', e.target.value)}
                  placeholder="https://shop.example.org/health"
                  data-testid="module-define-url"
                />
              </Field>
            ) : null}
            {draft.kind === 'tcp' ? (
              <div className="grid grid-cols-[1fr_7rem] gap-3">
                <Field label="Host" hint={<Issue text={issues.host} />}>
                  <TextInput value={draft.host} onChange={(e) => set('host', e.target.value)} data-testid="module-define-host" />
                </Field>
                <Field label="Port" hint={<Issue text={issues.port} />}>
                  <TextInput
                    inputMode="numeric"
                    value={draft.port}
                    onChange={(e) => set('port', e.target.value)}
                    placeholder="5432"
                    data-testid="module-define-port"
                  />
                </Field>
              </div>
            ) : null}
            {draft.kind === 'push' ? (
              <Field
                label="Push token"
                hint={
                  issues.token ? <Issue text={issues.token} /> : 'Your job calls POST /api/v1/push/<token> on the worker; no heartbeat for 30 s means down.'
                }
              >
                <div className="flex gap-2">
                  <TextInput value={draft.token} onChange={(e) => set('token', e.target.value)} className="font-mono" data-testid="module-define-token" />
                  <Button onClick={() => set('token', newToken())}>Generate</Button>
                </div>
              </Field>
            ) : null}
            <div className="grid grid-cols-[7rem_1fr] items-end gap-3">
              <Field label="Every (s)" hint={<Issue text={issues.intervalSeconds} />}>
                <TextInput
                  inputMode="numeric"
                  value={draft.intervalSeconds}
                  onChange={(e) => set('intervalSeconds', e.target.value)}
                  data-testid="module-define-interval"
                />
              </Field>
              <label className="flex h-9 items-center gap-2 text-sm">
                <input type="checkbox" className="accent-[var(--accent)]" checked={draft.critical} onChange={(e) => set('critical', e.target.checked)} />
                Critical <span className="text-xs text-faint">(weighs more in the health score)</span>
              </label>
            </div>
            <FormError message={unplaced} />
            <div className="flex justify-end gap-2">
              <Button variant="ghost" onClick={close} disabled={define.isPending}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" disabled={define.isPending} data-testid="module-define-submit">
                {define.isPending ? 'Saving…' : 'Define'}
              </Button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
