'use client';

import { useId, useState } from 'react';

const textOf = (argv: readonly string[] | undefined) => (argv ?? []).join('\n');
const argvOf = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/**
 * A program and its arguments, one per line: run as written, never by a shell, so `;`, `|` or
 * `$(…)` are plain characters of an argument. The text is kept as typed (a trailing newline while
 * typing the next argument) and follows the draft when that changes from outside (discard, revert).
 */
export function ArgvField({
  label,
  hint,
  value,
  problem,
  onValue,
}: {
  label: string;
  hint: string;
  value: readonly string[] | undefined;
  problem?: string;
  onValue: (argv: string[] | undefined) => void;
}) {
  const id = useId();
  const [text, setText] = useState(textOf(value));
  if (JSON.stringify(argvOf(text)) !== JSON.stringify(value ?? [])) setText(textOf(value));
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium text-muted">{label}</span>
      <textarea
        rows={3}
        spellCheck={false}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
        className="w-full rounded-md border border-border bg-surface px-3 py-2 font-mono text-sm text-text focus:border-accent focus:outline-none"
        onChange={(event) => {
          setText(event.target.value);
          const argv = argvOf(event.target.value);
          onValue(argv.length > 0 ? argv : undefined);
        }}
      />
      <span id={`${id}-hint`} className={problem ? 'text-xs text-bad' : 'text-xs text-faint'} data-testid={problem ? 'field-problem' : undefined}>
        {problem ?? hint}
      </span>
    </label>
  );
}
