'use client';

import type { FieldSpec } from '@/lib/healing/module-form/field-spec';
import { kindSpec } from '@/lib/healing/module-form/kind-catalog';
import type { ModuleDraft } from '@/lib/healing/module-form/module-draft';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Field, Select, TextInput } from '../ui/field';

export function FieldIssue({ text }: { text: string | undefined }) {
  return text ? (
    <span className="text-xs whitespace-pre-wrap text-bad" data-testid="field-issue">
      {text}
    </span>
  ) : null;
}

function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}

const testIdOf = (key: string) => `module-define-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function hintOf(field: FieldSpec, issue: string | undefined, isAdmin: boolean) {
  if (issue) return <FieldIssue text={issue} />;
  if (field.adminOnly && !isAdmin) return 'Admins only: the worker reads it from its environment.';
  return field.hint;
}

function KindField({
  field,
  value,
  issue,
  isAdmin,
  onChange,
}: {
  field: FieldSpec;
  value: string | boolean;
  issue: string | undefined;
  isAdmin: boolean;
  onChange: (value: string | boolean) => void;
}) {
  const testId = testIdOf(field.key);
  const locked = field.adminOnly === true && !isAdmin;
  if (field.type === 'check')
    return (
      <label className="flex items-center gap-2 text-sm sm:col-span-2">
        <input type="checkbox" className="accent-[var(--accent)]" checked={value === true} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
        {field.label}
      </label>
    );
  const text = typeof value === 'string' ? value : '';
  const common = { 'aria-invalid': issue ? true : undefined, disabled: locked, 'data-testid': testId } as const;
  return (
    <div className={cn(!field.narrow && 'sm:col-span-2')}>
      <Field label={field.label + (field.optional ? ' (optional)' : '')} hint={hintOf(field, issue, isAdmin)}>
        {field.type === 'select' ? (
          <Select value={text} onChange={(e) => onChange(e.target.value)} {...common}>
            {field.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </Select>
        ) : field.type === 'lines' ? (
          <textarea
            value={text}
            rows={field.rows ?? 2}
            spellCheck={false}
            onChange={(e) => onChange(e.target.value)}
            className={cn(
              'w-full rounded-md border border-border bg-surface px-3 py-2 text-sm text-text focus:border-accent focus:outline-none',
              field.mono && 'font-mono',
            )}
            {...common}
          />
        ) : field.type === 'token' ? (
          <span className="flex gap-2">
            <TextInput value={text} onChange={(e) => onChange(e.target.value)} className="font-mono" {...common} />
            <Button onClick={() => onChange(newToken())}>Generate</Button>
          </span>
        ) : (
          <TextInput
            value={text}
            inputMode={field.type === 'number' ? 'numeric' : undefined}
            placeholder={field.placeholder}
            onChange={(e) => onChange(e.target.value)}
            className={cn(field.mono && 'font-mono')}
            {...common}
          />
        )}
      </Field>
    </div>
  );
}

/** The fields of the draft's kind, each with the schema's message for it underneath. */
export function ModuleKindFields({
  draft,
  issues,
  isAdmin,
  onChange,
}: {
  draft: ModuleDraft;
  issues: Record<string, string>;
  isAdmin: boolean;
  onChange: (key: string, value: string | boolean) => void;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {kindSpec(draft.kind).fields.map((field) => (
        <KindField
          key={field.key}
          field={field}
          value={draft.values[field.key] ?? ''}
          issue={issues[field.key]}
          isAdmin={isAdmin}
          onChange={(value) => onChange(field.key, value)}
        />
      ))}
    </div>
  );
}
