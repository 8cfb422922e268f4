'use client';

import { useState } from 'react';
import type { DefenseDecision } from '@/lib/defense/defense-types';
import { useRestoreSource } from '../queries/use-defense-mutations';
import { Dialog } from '../ui/dialog';
import { DialogActions, ReasonField } from '../ui/dialog-form';
import { FormError } from '../ui/field';

/** Confirms letting an isolated source through the guard again. */
export function RestoreSourceDialog({ decision, onClose }: { decision: DefenseDecision; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const restore = useRestoreSource();
  const ok = reason.trim().length >= 3;
  return (
    <Dialog open onClose={onClose} title="Restore source" testId="restore-source-dialog">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (ok) restore.mutate({ source: decision.source, reason: reason.trim() }, { onSuccess: onClose });
        }}
      >
        <p className="text-sm text-muted">
          <span className="font-mono text-text">{decision.source}</span> passes the guard again at once. If it keeps misbehaving the detectors isolate it again,
          for longer.
        </p>
        <ReasonField value={reason} onChange={setReason} placeholder="e.g. false positive: office NAT" testId="restore-source-reason" />
        <FormError message={restore.error ? restore.error.message : null} />
        <DialogActions onCancel={onClose} label="Restore" pendingLabel="Restoring…" pending={restore.isPending} disabled={!ok} testId="restore-source-submit" />
      </form>
    </Dialog>
  );
}
