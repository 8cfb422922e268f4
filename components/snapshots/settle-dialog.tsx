'use client';

import { useState } from 'react';
import { useSettleRestore } from '../queries/use-recovery-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, TextInput } from '../ui/field';
import { RestoreFinished } from './restore-result';

const COPY = {
  resume: {
    title: 'Resume the interrupted restore',
    body: 'Writes the rest of the snapshot from the journal, then runs the restart hook and the health gate.',
    button: 'Resume restore',
  },
  rollback: {
    title: 'Roll back the interrupted restore',
    body: 'Puts back the files the restore had already replaced, from the journal, so the tree is as it was before.',
    button: 'Roll back',
  },
} as const;

/** Drives a half-finished restore forward or back; its journal says exactly what was done. */
export function SettleDialog({ action, snapshotName, onClose }: { action: 'resume' | 'rollback' | null; snapshotName: string; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const settle = useSettleRestore();
  const copy = action ? COPY[action] : COPY.resume;
  const close = () => {
    settle.reset();
    setReason('');
    onClose();
  };
  return (
    <Dialog open={action !== null} onClose={close} title={copy.title} dismissible={!settle.isPending} testId="settle-dialog">
      {settle.data ? (
        <RestoreFinished result={settle.data} onDone={close} />
      ) : (
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (action) settle.mutate({ action, reason: reason.trim() });
          }}
        >
          <p className="text-sm text-muted">
            The restore of <span className="font-mono">{snapshotName}</span> stopped half-way. {copy.body}
          </p>
          <Field label="Reason" hint="Kept in the audit trail with your name.">
            <TextInput value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} data-testid="settle-reason" />
          </Field>
          <FormError message={settle.error ? settle.error.message : null} />
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={close} disabled={settle.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant={action === 'rollback' ? 'danger' : 'primary'}
              disabled={reason.trim().length < 3 || settle.isPending}
              data-testid="settle-submit"
            >
              {settle.isPending ? 'Working…' : copy.button}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
