'use client';

import { useState, type FormEvent } from 'react';
import type { AlertRule } from '@/lib/alerts/alert-rules';
import type { RuleView } from '@/lib/alerts/alert-views';
import { SEVERITIES, type Severity } from '@/lib/audit/types';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { useRemoveRule, useSaveRule } from './use-alerts';

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

interface Draft {
  base: AlertRule | null;
  name: string;
  events: string;
  minSeverity: Severity;
  channels: string;
  groupWaitSeconds: string;
  enabled: boolean;
}

const draftOf = (rule: AlertRule | null): Draft => ({
  base: rule,
  name: rule?.name ?? '',
  events: rule?.events.join(', ') ?? '',
  minSeverity: rule?.minSeverity ?? 'high',
  channels: rule?.channels.join(', ') ?? '*',
  groupWaitSeconds: String(rule?.groupWaitSeconds ?? 1),
  enabled: rule?.enabled ?? true,
});

/** The rules in force and where each comes from; admins edit (a shipped rule is overridden, not changed). */
export function RulesPanel({ rules, channels, canAdminister }: { rules: RuleView[]; channels: string[]; canAdminister: boolean }) {
  const save = useSaveRule();
  const remove = useRemoveRule();
  const [draft, setDraft] = useState<Draft | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    // Fields the form does not show (filters, intervals) keep the edited rule's values.
    const { name: _old, ...kept } = draft.base ?? {};
    save.mutate(
      {
        ...kept,
        name: draft.name,
        events: list(draft.events),
        minSeverity: draft.minSeverity,
        channels: list(draft.channels),
        groupWaitSeconds: Number(draft.groupWaitSeconds),
        enabled: draft.enabled,
      },
      { onSuccess: () => setDraft(null) },
    );
  };
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-2" data-testid="rule-list">
        {rules.map(({ rule, origin }) => (
          <li key={rule.name} className="flex flex-wrap items-center gap-2 rounded-md border border-border p-2 text-sm" data-testid="rule-row">
            <Badge tone={rule.enabled ? 'ok' : 'neutral'}>{rule.enabled ? 'on' : 'off'}</Badge>
            <span className="font-medium">{rule.name}</span>
            <span className="break-all font-mono text-xs text-muted">{rule.events.join(', ')}</span>
            <span className="text-xs text-faint">
              ≥ {rule.minSeverity} → {rule.channels.join(', ')} · {origin}
            </span>
            {canAdminister ? (
              <span className="ml-auto flex gap-1">
                <Button variant="ghost" onClick={() => setDraft(draftOf(rule))} aria-label={`Edit ${rule.name}`}>
                  Edit
                </Button>
                {origin === 'console' ? (
                  <Button variant="ghost-danger" onClick={() => remove.mutate(rule.name)} aria-label={`Remove ${rule.name}`}>
                    Remove
                  </Button>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {canAdminister && !draft ? (
        <Button className="self-start" onClick={() => setDraft(draftOf(null))}>
          New rule
        </Button>
      ) : null}
      {draft ? (
        <form onSubmit={submit} className="grid grid-cols-1 gap-2 sm:grid-cols-2" aria-label="Alert rule">
          <Field label="Name">
            <TextInput value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required maxLength={63} />
          </Field>
          <Field label="Events (comma-separated, * wildcards)">
            <TextInput
              value={draft.events}
              onChange={(e) => setDraft({ ...draft, events: e.target.value })}
              required
              placeholder="defense.*, recovery.*_failed"
            />
          </Field>
          <Field label="Least severity">
            <Select value={draft.minSeverity} onChange={(e) => setDraft({ ...draft, minSeverity: e.target.value as Severity })}>
              {SEVERITIES.map((severity) => (
                <option key={severity}>{severity}</option>
              ))}
            </Select>
          </Field>
          <Field label="Channels" hint={`* for all; configured: ${channels.join(', ') || 'none'}`}>
            <TextInput value={draft.channels} onChange={(e) => setDraft({ ...draft, channels: e.target.value })} required />
          </Field>
          <Field label="Group wait (s)">
            <TextInput
              type="number"
              min={0}
              step="any"
              value={draft.groupWaitSeconds}
              onChange={(e) => setDraft({ ...draft, groupWaitSeconds: e.target.value })}
            />
          </Field>
          <label className="flex items-center gap-2 self-end text-sm">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} /> Enabled
          </label>
          <div className="flex gap-2 sm:col-span-2">
            <FormError message={save.error ? save.error.message : null} />
            <Button type="submit" variant="primary" disabled={save.isPending}>
              Save rule
            </Button>
            <Button onClick={() => setDraft(null)}>Cancel</Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
