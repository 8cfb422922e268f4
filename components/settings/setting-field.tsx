'use client';

import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { Button } from '../ui/button';
import { Field, Select, TextInput } from '../ui/field';

/** A labelled box whose schema message shows under it, tied to it for screen readers. */
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
  const id = useId();
  return (
    <Field label={label} hint={problem ? undefined : hint}>
      <TextInput
        {...props}
        value={value === undefined || Number.isNaN(value) ? '' : value}
        onChange={(event) => onValue(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? id : undefined}
      />
      {problem ? (
        <span id={id} className="text-xs text-bad" data-testid="field-problem">
          {problem}
        </span>
      ) : null}
    </Field>
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

/** "Add …" under a list, or "Remove …" on an entry; absent for someone who may only read. */
export function ListButton({ label, onClick, readOnly, remove = false }: { label: string; onClick: () => void; readOnly: boolean; remove?: boolean }) {
  if (readOnly) return null;
  return (
    <div>
      <Button type="button" variant={remove ? 'ghost-danger' : 'secondary'} className="h-8 text-xs" onClick={onClick}>
        {label}
      </Button>
    </div>
  );
}
