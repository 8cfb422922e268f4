'use client';

import { SEVERITIES } from '@/lib/audit/types';
import { RELATIVE_RANGES } from '@/lib/audit/filters';
import { KNOWN_AUDIT_TYPES } from '@/lib/audit/known-types';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { useAuditUrl } from './use-audit-url';

// Each box keeps a visible label above it: a placeholder alone vanished once the box was filled.
const TEXT_FIELDS = [
  { name: 'type', label: 'Type', placeholder: 'app.auth_failure', list: 'audit-known-types' },
  { name: 'module', label: 'Module', placeholder: 'any', list: undefined },
  { name: 'source', label: 'Source', placeholder: '203.0.113.9', list: undefined },
  { name: 'actor', label: 'Actor', placeholder: 'user:admin', list: undefined },
] as const;

const chip = (on: boolean) =>
  cn('rounded border px-2 py-0.5 text-xs tabular', on ? 'border-accent bg-accent/15 text-accent' : 'border-border text-muted hover:bg-surface-2');

/** datetime-local works in local time; the URL carries ISO UTC. */
const toLocalInput = (iso: string) => (iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

export function AuditFilterBar() {
  const url = useAuditUrl();
  const severities = url.list('severity');
  const range = url.get('range');
  const custom = Boolean(url.get('from') || url.get('to'));

  function toggleSeverity(severity: string) {
    const next = severities.includes(severity) ? severities.filter((s) => s !== severity) : [...severities, severity];
    url.update({ severity: next.join(',') || null });
  }

  return (
    // Keyed by the URL so back/forward refills the inputs with what the address says.
    <form
      key={url.filterQuery}
      data-testid="audit-filters"
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const text = (name: string) => String(data.get(name) ?? '').trim() || null;
        url.update({ type: text('type'), module: text('module'), source: text('source'), actor: text('actor'), q: text('q'), event: null });
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <input
          name="q"
          type="search"
          defaultValue={url.get('q')}
          placeholder="Search action, reason and details…"
          aria-label="Search"
          className="h-8 min-w-0 flex-1 basis-64 rounded-md border border-border bg-surface-2 px-2 text-sm"
        />
        {TEXT_FIELDS.map((field) => (
          <label key={field.name} className="flex w-full flex-col gap-0.5 text-[11px] font-medium text-muted sm:w-44">
            {field.label}
            <input
              name={field.name}
              defaultValue={url.get(field.name)}
              placeholder={field.placeholder}
              list={field.list}
              data-testid={`audit-filter-${field.name}`}
              className="h-8 w-full rounded-md border border-border bg-surface-2 px-2 font-mono text-xs text-text"
            />
          </label>
        ))}
        <datalist id="audit-known-types">
          {KNOWN_AUDIT_TYPES.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <Button type="submit" variant="primary">
          Apply
        </Button>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div role="group" aria-label="Severity" className="flex flex-wrap items-center gap-1">
          {SEVERITIES.map((severity) => (
            <button
              key={severity}
              type="button"
              aria-pressed={severities.includes(severity)}
              className={chip(severities.includes(severity))}
              onClick={() => toggleSeverity(severity)}
            >
              {severity}
            </button>
          ))}
        </div>
        <div role="group" aria-label="Time range" className="flex flex-wrap items-center gap-1">
          <button
            type="button"
            aria-pressed={!range && !custom}
            className={chip(!range && !custom)}
            onClick={() => url.update({ range: null, from: null, to: null })}
          >
            all
          </button>
          {Object.keys(RELATIVE_RANGES).map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={range === r}
              className={chip(range === r)}
              onClick={() => url.update({ range: r, from: null, to: null })}
            >
              {r}
            </button>
          ))}
        </div>
        <div className="flex flex-wrap items-center gap-1 text-xs text-muted">
          <DateBound label="from" value={url.get('from')} onChange={(value) => url.update({ from: value, range: null })} />
          <DateBound label="to" value={url.get('to')} onChange={(value) => url.update({ to: value, range: null })} />
        </div>
      </div>
    </form>
  );
}

function DateBound({ label, value, onChange }: { label: 'from' | 'to'; value: string; onChange: (value: string | null) => void }) {
  return (
    <label className="flex items-center gap-1">
      {label}
      <input
        type="datetime-local"
        aria-label={label === 'from' ? 'From' : 'To'}
        defaultValue={toLocalInput(value)}
        onChange={(e) => onChange(fromLocalInput(e.target.value))}
        className="h-7 rounded border border-border bg-surface-2 px-1"
      />
    </label>
  );
}
