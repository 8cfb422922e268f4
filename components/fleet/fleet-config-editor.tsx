'use client';

import { useState } from 'react';
import { parse as parseYaml } from 'yaml';
import type { FleetConfigTarget } from '@/lib/fleet/fleet-config-api';
import type { HostView } from '@/lib/fleet/fleet-api';
import { useSaveFleetConfig } from '../queries/use-fleet-config-query';
import { Button } from '../ui/button';
import { Field, FormError, Select, TextInput } from '../ui/field';

const EXAMPLE = `modules:
  - name: shop
    kind: http
    url: http://127.0.0.1:8080/health
integrityPaths:
  - path: /etc/nginx
`;

/** `role=web, site=fra` → {role: 'web', site: 'fra'}; the worker checks names and values. */
function labelsOf(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, ...value] = pair.split('=');
    labels[name.trim()] = value.join('=').trim();
  }
  return labels;
}

/** What the form means, or why it means nothing yet; the worker validates the content with the file's own schema. */
function requestOf(form: { kind: 'host' | 'labels'; hostId: string; labels: string; yaml: string }): { target: FleetConfigTarget; content: unknown } | string {
  let content: unknown;
  try {
    content = parseYaml(form.yaml) ?? {};
  } catch (error) {
    return `content: not valid YAML: ${(error as Error).message.split('\n')[0]}`;
  }
  if (form.kind === 'host') return form.hostId ? { target: { hostId: Number(form.hostId) }, content } : 'target: choose a host';
  return { target: { labels: labelsOf(form.labels) }, content };
}

/**
 * An assignment for one host or for every host with some labels, written as the parts of a
 * configuration file (modules, integrityPaths, logSources, snapshotSources). Each save is a new version.
 */
export function FleetConfigEditor({ hosts }: { hosts: HostView[] }) {
  const save = useSaveFleetConfig();
  const [form, setForm] = useState({ kind: 'labels' as 'host' | 'labels', hostId: '', labels: '', yaml: EXAMPLE, reason: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const agents = hosts.filter((host) => host.id !== 1 && !host.revokedAt);
  const submit = () => {
    const request = requestOf(form);
    if (typeof request === 'string') return setProblem(request);
    setProblem(null);
    save.mutate({ ...request, reason: form.reason } as Parameters<typeof save.mutate>[0]);
  };
  return (
    <form
      className="flex flex-col gap-3"
      aria-label="Assign configuration"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[13rem_1fr]">
        <Field label="Assign to">
          <Select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as 'host' | 'labels' })} data-testid="fleet-config-kind">
            <option value="labels">hosts with labels</option>
            <option value="host">one host</option>
          </Select>
        </Field>
        {form.kind === 'host' ? (
          <Field label="Host">
            <Select value={form.hostId} onChange={(e) => setForm({ ...form, hostId: e.target.value })} data-testid="fleet-config-host">
              <option value="">Choose a host</option>
              {agents.map((host) => (
                <option key={host.id} value={host.id}>
                  {host.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Field label="Labels" hint="name=value, separated by commas; a host needs them all">
            <TextInput
              value={form.labels}
              onChange={(e) => setForm({ ...form, labels: e.target.value })}
              placeholder="role=web"
              data-testid="fleet-config-labels"
            />
          </Field>
        )}
      </div>
      <Field label="Configuration (YAML)" hint="modules, integrityPaths, logSources, snapshotSources: each one set replaces the host's own; paths are absolute">
        <textarea
          value={form.yaml}
          onChange={(e) => setForm({ ...form, yaml: e.target.value })}
          rows={10}
          spellCheck={false}
          data-testid="fleet-config-yaml"
          className="w-full rounded-md border border-border bg-surface px-3 py-2 font-mono text-xs text-text focus:border-accent focus:outline-none"
        />
      </Field>
      <div className="grid grid-cols-1 items-end gap-3 sm:grid-cols-[1fr_auto]">
        <Field label="Reason">
          <TextInput
            value={form.reason}
            onChange={(e) => setForm({ ...form, reason: e.target.value })}
            placeholder="why this changes"
            data-testid="fleet-config-reason"
          />
        </Field>
        <Button type="submit" variant="primary" className="h-9" disabled={save.isPending} data-testid="fleet-config-save">
          Save and push
        </Button>
      </div>
      <FormError message={problem ?? save.error?.message ?? null} />
      {save.isSuccess ? (
        <p role="status" className="text-xs text-ok">
          Saved as version {save.data.current.version} (revision {save.data.current.revision}); pushed to the connected hosts it reaches.
        </p>
      ) : null}
    </form>
  );
}
