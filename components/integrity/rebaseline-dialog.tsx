'use client';

import { useState } from 'react';
import { useRebaselineIntegrity } from '../queries/use-integrity-query';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { DialogActions, ReasonField } from '../ui/dialog-form';
import { FormError } from '../ui/field';

/** Accepting today's files as the reference forgives every outstanding change, so it asks why. */
export function RebaselineButton({ outstanding }: { outstanding: number }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const rebaseline = useRebaselineIntegrity();
  const close = () => {
    rebaseline.reset();
    setReason('');
    setOpen(false);
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="rebaseline-open">
        Re-baseline
      </Button>
      <Dialog open={open} onClose={close} title="Re-baseline file integrity" dismissible={!rebaseline.isPending} testId="rebaseline-dialog">
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim().length >= 3) rebaseline.mutate({ reason: reason.trim() }, { onSuccess: close });
          }}
        >
          <p className="text-sm text-muted">
            Hashes every watched file again and takes the result as the new reference.{' '}
            {outstanding > 0
              ? `The ${outstanding} path${outstanding === 1 ? '' : 's'} that differ now will count as intended.`
              : 'Nothing differs from the current baseline.'}
          </p>
          <ReasonField value={reason} onChange={setReason} placeholder="e.g. nginx upgraded to 1.26" testId="rebaseline-reason" />
          <FormError message={rebaseline.error ? rebaseline.error.message : null} />
          <DialogActions
            onCancel={close}
            label="Re-baseline"
            pendingLabel="Hashing…"
            pending={rebaseline.isPending}
            disabled={reason.trim().length < 3}
            testId="rebaseline-submit"
          />
        </form>
      </Dialog>
    </>
  );
}
