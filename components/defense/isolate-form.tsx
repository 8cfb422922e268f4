'use client';

import { useState } from 'react';
import { sourceSyntaxProblem } from '@/lib/defense/source-syntax';
import { useIsolateSource, type IsolateBody } from '../queries/use-defense-mutations';
import { Field, Select, TextInput } from '../ui/field';
import { InlineForm } from '../ui/inline-form';

const DURATIONS = [
  { value: '1h', label: '1 hour' },
  { value: '4h', label: '4 hours' },
  { value: '24h', label: '24 hours' },
  { value: 'indefinite', label: 'indefinitely' },
];

/** Manual isolation by an operator; the worker still refuses allowlisted sources and bad ranges with a 422. */
export function IsolateForm() {
  const [source, setSource] = useState('');
  const [duration, setDuration] = useState('4h');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const isolate = useIsolateSource();
  const problem = touched ? sourceSyntaxProblem(source) : null;
  const reasonProblem = touched && reason.trim().length < 3 ? 'give a reason of at least 3 characters' : null;

  const submit = () => {
    setTouched(true);
    if (sourceSyntaxProblem(source) || reason.trim().length < 3) return;
    const body: IsolateBody = { source: source.trim(), reason: reason.trim(), ...(duration === 'indefinite' ? { indefinite: true } : { duration }) };
    isolate.mutate(body, {
      onSuccess: () => {
        setSource('');
        setReason('');
        setTouched(false);
      },
    });
  };

  return (
    <InlineForm
      className="sm:grid-cols-[minmax(9rem,1fr)_8rem_minmax(9rem,1.5fr)_auto]"
      onSubmit={submit}
      submitLabel={isolate.isPending ? 'Isolating…' : 'Isolate'}
      submitTestId="isolate-submit"
      pending={isolate.isPending}
      error={problem ?? reasonProblem ?? (isolate.error ? isolate.error.message : null)}
    >
      <Field label="Source (IP or CIDR)">
        <TextInput
          value={source}
          onChange={(e) => setSource(e.target.value)}
          placeholder="203.0.113.9 or 198.51.100.0/24"
          spellCheck={false}
          aria-invalid={problem !== null}
          className="font-mono"
          data-testid="isolate-source"
        />
      </Field>
      <Field label="For">
        <Select value={duration} onChange={(e) => setDuration(e.target.value)} data-testid="isolate-duration">
          {DURATIONS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Reason">
        <TextInput
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. credential stuffing"
          maxLength={500}
          data-testid="isolate-reason"
        />
      </Field>
    </InlineForm>
  );
}
