'use client';

import { Field } from '../ui/field';

/**
 * Gatus-style conditions, one per line. The parser's message already carries the line and a
 * caret under the column; it is shown verbatim in monospace so the caret lands where it points.
 */
export function ConditionField({ value, onChange, issues }: { value: string; onChange: (value: string) => void; issues: Record<number, string> }) {
  const lines = Object.entries(issues).map(([line, message]) => ({ line: Number(line) + 1, message }));
  return (
    <Field
      label="Conditions (one per line, all must hold)"
      hint={lines.length ? undefined : 'e.g. [STATUS] == 200 · [RESPONSE_TIME] < 500 · [BODY].status == ok'}
    >
      <textarea
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={2}
        spellCheck={false}
        aria-invalid={lines.length > 0}
        aria-describedby={lines.length ? 'module-condition-issues' : undefined}
        className="w-full rounded-md border border-border bg-surface px-3 py-2 font-mono text-sm text-text placeholder:text-faint focus:border-accent focus:outline-none"
        placeholder="[STATUS] == 200"
        data-testid="module-define-conditions"
      />
      {lines.length ? (
        <span id="module-condition-issues" className="flex flex-col gap-1">
          {lines.map(({ line, message }) => (
            <pre key={line} className="overflow-x-auto text-xs whitespace-pre text-bad" data-testid="condition-issue">
              {`line ${line}: ${message}`}
            </pre>
          ))}
        </span>
      ) : null}
    </Field>
  );
}
