'use client';

import { useState } from 'react';
import { canAdminister, type Principal } from '@/lib/auth/roles';
import type { AllowlistEntry } from '@/lib/defense/defense-types';
import { sourceSyntaxProblem } from '@/lib/defense/source-syntax';
import { formatRelative } from '@/lib/format';
import { useAllowSource } from '../queries/use-defense-mutations';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { DataTable, Td, Tr } from '../ui/data-table';
import { Field, TextInput } from '../ui/field';
import { InlineForm } from '../ui/inline-form';
import { Panel } from '../ui/panel';
import { SourceActionDialog } from './source-action-dialog';

const COLUMNS = ['Source', 'Why', { label: '', align: 'right' }] as const;

/** Checked as the administrator types; the worker's 422 stays the authority. */
function AllowForm() {
  const [source, setSource] = useState('');
  const [reason, setReason] = useState('');
  const allow = useAllowSource();
  const problem = source ? sourceSyntaxProblem(source) : null;
  const reasonProblem = reason && reason.trim().length < 3 ? 'give a reason of at least 3 characters' : null;
  return (
    <InlineForm
      className="sm:grid-cols-[minmax(9rem,1fr)_minmax(9rem,1.5fr)_auto]"
      onSubmit={() => {
        if (!source || sourceSyntaxProblem(source) || reason.trim().length < 3) return;
        allow.mutate(
          { source: source.trim(), reason: reason.trim() },
          {
            onSuccess: () => {
              setSource('');
              setReason('');
            },
          },
        );
      }}
      submitLabel={allow.isPending ? 'Adding…' : 'Allowlist'}
      submitTestId="allow-submit"
      pending={allow.isPending}
      error={problem ?? reasonProblem ?? (allow.error ? allow.error.message : null)}
    >
      <Field label="Source (IP or CIDR)">
        <TextInput
          value={source}
          onChange={(e) => setSource(e.target.value)}
          placeholder="192.0.2.10 or 10.0.0.0/8"
          spellCheck={false}
          aria-invalid={problem !== null}
          className="font-mono"
          data-testid="allow-source"
        />
      </Field>
      <Field label="Reason">
        <TextInput
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. our monitoring probes"
          maxLength={500}
          data-testid="allow-reason"
        />
      </Field>
    </InlineForm>
  );
}

/** Sources never isolated, which pass even a lockdown; file entries are shown and edited in the file. */
export function AllowlistPanel({ entries, principal, now }: { entries: AllowlistEntry[]; principal: Principal; now: number }) {
  const [removing, setRemoving] = useState<string | null>(null);
  const admin = canAdminister(principal);
  return (
    <Panel title="Allowlist" subtitle="never isolated, pass even a lockdown" testId="panel-allowlist">
      <DataTable columns={COLUMNS} className="text-sm" testId="allowlist-table" empty={entries.length === 0 ? 'No source is allowlisted.' : null}>
        {entries.map((entry) => (
          <Tr key={entry.source}>
            <Td className="font-mono text-xs">{entry.source}</Td>
            <Td className="text-xs text-muted">
              {entry.origin === 'config' ? (
                <Badge>config file</Badge>
              ) : (
                <>
                  {entry.reason ?? '—'}
                  <span className="block text-faint">
                    {entry.createdBy ?? ''}
                    {entry.createdAt ? ` · ${formatRelative(entry.createdAt, now)}` : ''}
                  </span>
                </>
              )}
            </Td>
            <Td className="text-right">
              {admin && entry.origin === 'ui' ? (
                <Button variant="ghost-danger" className="h-7 px-2 text-xs" onClick={() => setRemoving(entry.source)} data-testid="allow-remove">
                  Remove
                </Button>
              ) : null}
            </Td>
          </Tr>
        ))}
      </DataTable>
      {admin ? <AllowForm /> : <p className="mt-3 text-xs text-faint">Only an administrator can change the allowlist.</p>}
      {removing ? <SourceActionDialog source={removing} action="disallow" onClose={() => setRemoving(null)} /> : null}
    </Panel>
  );
}
