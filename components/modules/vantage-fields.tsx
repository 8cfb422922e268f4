'use client';

import { useId } from 'react';
import { quorumSentence, vantageOf, type VantageDraft } from '@/lib/healing/module-form/vantage-draft';
import type { Vantage } from '@/lib/healing/vantage-schema';
import { selectVantageHosts } from '@/lib/healing/vantage-select';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
import { Field, TextInput } from '../ui/field';
import { FieldIssue } from './module-kind-fields';

/** The agents the draft selects now, by name, and the console when it votes: what the operator is about to ask for. */
function pointsNow(draft: VantageDraft, fleet: ReadonlyArray<{ id: number; name: string; labels: Record<string, string>; revokedAt: string | null }>) {
  const vantage = vantageOf(draft);
  const selection = { hosts: (vantage.hosts ?? []) as Vantage['hosts'], labels: vantage.labels as Vantage['labels'] };
  const agents = selectVantageHosts(
    selection,
    fleet.filter((host) => host.revokedAt === null),
  ).map((host) => host.name);
  return [...(draft.includeConsole ? ['this console'] : []), ...agents];
}

type TextKey = 'hosts' | 'labels' | 'quorum';

/** One text field of the vantage, with the schema's message for it in place of its hint. */
function VantageText({
  field,
  label,
  hint,
  placeholder,
  describedBy,
  draft,
  issues,
  onChange,
}: {
  field: TextKey;
  label: string;
  hint?: string;
  placeholder?: string;
  describedBy?: string;
  draft: VantageDraft;
  issues: Record<string, string>;
  onChange: (key: TextKey, value: string) => void;
}) {
  const issue = issues[`vantage.${field}`];
  const quorum = field === 'quorum';
  return (
    <Field label={label} hint={issue ? <FieldIssue text={issue} /> : hint}>
      <TextInput
        value={draft[field]}
        onChange={(e) => onChange(field, e.target.value)}
        placeholder={placeholder}
        inputMode={quorum ? 'numeric' : undefined}
        // A quorum is a number of a few digits; names and labels are read as typed, in monospace.
        className={quorum ? 'max-w-28' : 'font-mono'}
        aria-invalid={issue ? true : undefined}
        aria-describedby={describedBy}
        data-testid={`module-vantage-${field}`}
      />
    </Field>
  );
}

/** A tick of the vantage, its note in smaller type. */
function VantageCheck({
  field,
  label,
  note,
  draft,
  onChange,
}: {
  field: 'enabled' | 'includeConsole';
  label: string;
  note: string;
  draft: VantageDraft;
  onChange: (key: 'enabled' | 'includeConsole', value: boolean) => void;
}) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input
        type="checkbox"
        className="mt-0.5 h-4 w-4 shrink-0 accent-[var(--accent)]"
        checked={draft[field]}
        onChange={(e) => onChange(field, e.target.checked)}
        data-testid={field === 'enabled' ? 'module-vantage-enabled' : 'module-vantage-console'}
      />
      <span>
        {label} <span className="text-xs text-faint">({note})</span>
      </span>
    </label>
  );
}

/**
 * Which hosts of the fleet probe the module besides (or instead of) this console, and how many
 * must see it down before it is an outage. The module schema judges it with the rest of the form.
 */
export function VantageFields({
  draft,
  issues,
  onChange,
}: {
  draft: VantageDraft;
  issues: Record<string, string>;
  onChange: <K extends keyof VantageDraft>(key: K, value: VantageDraft[K]) => void;
}) {
  const id = useId();
  const { data: fleet } = useFleetHostsQuery();
  const sentence = draft.enabled
    ? quorumSentence(
        draft,
        fleet?.filter((host) => host.revokedAt === null),
      )
    : null;
  const points = draft.enabled && fleet ? pointsNow(draft, fleet) : null;
  const textProps = { draft, issues, onChange };
  const checkProps = { draft, onChange };
  return (
    <fieldset className="flex flex-col gap-3 rounded-md border border-border px-3 pt-1 pb-3" data-testid="module-vantage">
      <legend className="px-1 text-sm font-medium text-muted">Vantage points</legend>
      <VantageCheck
        field="enabled"
        label="Probe from several hosts of the fleet"
        note="an outage only when enough of them agree, not when one host's own network fails"
        {...checkProps}
      />
      {draft.enabled ? (
        <>
          <div className="grid gap-3 sm:grid-cols-2">
            <VantageText
              field="hosts"
              label="Hosts (optional)"
              hint="agents as the fleet page names them, or their ids"
              placeholder="edge-fra, edge-ams or host ids"
              {...textProps}
            />
            <VantageText
              field="labels"
              label="Labels (optional)"
              hint="every agent with all of them, e.g. probe=vantage"
              placeholder="probe=vantage"
              {...textProps}
            />
          </div>
          <VantageCheck field="includeConsole" label="This console probes too" note="one more vote" {...checkProps} />
          <VantageText field="quorum" label="Quorum" describedBy={`${id}-quorum`} {...textProps} />
          <p id={`${id}-quorum`} aria-live="polite" className="text-xs text-muted" data-testid="module-vantage-sentence">
            {sentence ?? 'The quorum is how many vantage points must see the target down before the module is down.'}
            {points ? (
              <span className="mt-1 block text-faint" data-testid="module-vantage-now">
                {points.length ? `Vantage points now: ${points.join(', ')}.` : 'No host of the fleet matches yet.'}
              </span>
            ) : null}
          </p>
        </>
      ) : null}
      <FieldIssue text={issues.vantage} />
    </fieldset>
  );
}
