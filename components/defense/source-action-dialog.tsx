'use client';

import { useState } from 'react';
import { useAllowSource, useDisallowSource, useIsolateSource } from '../queries/use-defense-mutations';
import { Dialog } from '../ui/dialog';
import { DialogActions, ReasonField } from '../ui/dialog-form';
import { FormError } from '../ui/field';

export type SourceAction = 'isolate' | 'allow' | 'disallow';

const COPY: Record<SourceAction, { title: string; label: string; pending: string; explain: string; placeholder: string }> = {
  isolate: {
    title: 'Isolate source',
    label: 'Isolate for 4 hours',
    pending: 'Isolating…',
    explain: 'is refused by the guard for 4 hours. Restore it from the isolations table if it was a mistake.',
    placeholder: 'e.g. brute force against the login',
  },
  allow: {
    title: 'Allowlist source',
    label: 'Allowlist',
    pending: 'Adding…',
    explain: 'is never isolated and passes the guard even during a lockdown. Any isolation of it ends now.',
    placeholder: 'e.g. our office NAT',
  },
  disallow: {
    title: 'Remove from the allowlist',
    label: 'Remove',
    pending: 'Removing…',
    explain: 'is treated like any other client again: the detectors may isolate it.',
    placeholder: 'e.g. office moved',
  },
};

/** One source, one action, one reason for the audit trail: what a threat row or the allowlist offers. */
export function SourceActionDialog({ source, action, onClose }: { source: string; action: SourceAction; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const isolate = useIsolateSource();
  const allow = useAllowSource();
  const disallow = useDisallowSource();
  const mutation = action === 'isolate' ? isolate : action === 'allow' ? allow : disallow;
  const copy = COPY[action];
  const ok = reason.trim().length >= 3;
  const submit = () => {
    const body = { source, reason: reason.trim() };
    const done = { onSuccess: onClose };
    if (action === 'isolate') isolate.mutate({ ...body, duration: '4h' }, done);
    else if (action === 'allow') allow.mutate(body, done);
    else disallow.mutate(body, done);
  };
  return (
    <Dialog open onClose={onClose} title={copy.title} dismissible={!mutation.isPending} testId="source-action-dialog">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (ok) submit();
        }}
      >
        <p className="text-sm text-muted">
          <span className="font-mono text-text">{source}</span> {copy.explain}
        </p>
        <ReasonField value={reason} onChange={setReason} placeholder={copy.placeholder} testId="source-action-reason" />
        <FormError message={mutation.error ? mutation.error.message : null} />
        <DialogActions
          onCancel={onClose}
          label={copy.label}
          pendingLabel={copy.pending}
          pending={mutation.isPending}
          disabled={!ok}
          variant={action === 'isolate' ? 'danger' : 'primary'}
          testId="source-action-submit"
        />
      </form>
    </Dialog>
  );
}
