'use client';

import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { Button } from '../ui/button';
import { Field, Select, TextInput } from '../ui/field';

/** A labelled control whose schema message shows under it (in place of the hint), tied to it for screen readers. */
function ProblemField({
  label,
  hint,
  problem,
  control,
}: {
  label: string;
  hint?: ReactNode;
  problem?: string;
  control: (described: { 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  return (
    <Field label={label} hint={problem ? undefined : hint}>
      {control(problem ? { 'aria-invalid': true, 'aria-describedby': id } : {})}
      {problem ? (
        <span id={id} className="text-xs text-bad" data-testid="field-problem">
          {problem}
        </span>
      ) : null}
    </Field>
  );
}

export function SettingInput({
  label,
  hint,
  problem,
  value,
  onValue,
  ...props
}: { label: string; hint?: ReactNode; problem?: string; value: string | number | undefined; onValue: (text: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange'
>) {
  return (
    <ProblemField
      label={label}
      hint={hint}
      problem={problem}
      control={(described) => (
        <TextInput
          {...props}
          {...described}
          value={value === undefined || Number.isNaN(value) ? '' : value}
          onChange={(event) => onValue(event.target.value)}
        />
      )}
    />
  );
}

export function SettingSelect({
  label,
  value,
  options,
  onValue,
}: {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label}>
      <Select value={value} onChange={(event) => onValue(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function SettingCheckbox({ label, checked, onValue }: { label: string; checked: boolean; onValue: (checked: boolean) => void }) {
  return (
    <label className="flex items-center gap-2 text-sm text-text">
      <input type="checkbox" className="h-4 w-4 accent-[var(--accent)]" checked={checked} onChange={(event) => onValue(event.target.checked)} />
      {label}
    </label>
  );
}

/** "Add …" under a list, or "Remove …" / "Move …" on an entry; absent for someone who may only read. */
export function ListButton({
  label,
  rowName,
  onClick,
  readOnly,
  remove = false,
  disabled = false,
  move,
}: {
  label: string;
  /** The row's name, for screen readers, where the visible label alone ("Move up") does not say which row. */
  rowName?: string;
  onClick: () => void;
  readOnly: boolean;
  remove?: boolean;
  disabled?: boolean;
  move?: 'up' | 'down';
}) {
  if (readOnly) return null;
  return (
    <div>
      <Button type="button" variant={remove ? 'ghost-danger' : 'secondary'} className="h-8 text-xs" disabled={disabled} data-move={move} onClick={onClick}>
        {label}
        {/* Heard after the visible words, so the name still starts with what the eye reads. */}
        {rowName ? <span className="sr-only"> ({rowName})</span> : null}
      </Button>
    </div>
  );
}

/** A multi-line box (a webhook's body template) whose schema message shows under it as the operator types. */
export function SettingTextArea({
  label,
  hint,
  problem,
  value,
  onValue,
}: {
  label: string;
  hint?: ReactNode;
  problem?: string;
  value: string;
  onValue: (text: string) => void;
}) {
  return (
    <ProblemField
      label={label}
      hint={hint}
      problem={problem}
      control={(described) => (
        <textarea
          {...described}
          rows={4}
          spellCheck={false}
          className="w-full rounded-md border border-border bg-surface px-3 py-2 font-mono text-xs text-text focus:border-accent focus:outline-none"
          value={value}
          onChange={(event) => onValue(event.target.value)}
        />
      )}
    />
  );
}
