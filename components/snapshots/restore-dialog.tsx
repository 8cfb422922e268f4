'use client';

import { useState } from 'react';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';
import type { RecoveryProgress, SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { formatBytes } from '@/lib/format';
import { useRestoreSnapshot } from '../queries/use-recovery-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, TextInput } from '../ui/field';
import { RecoveryProgressBar } from './recovery-progress';
import { RestoreFinished, RestoreResultCard } from './restore-result';

function SnapshotFacts({ snapshot }: { snapshot: SnapshotHeader }) {
  const verification = snapshot.lastVerification;
  return (
    <div className="rounded-md border border-border bg-surface-2 px-3 py-2 text-sm">
      <div className="font-mono font-medium">{snapshot.name}</div>
      <div className="text-xs text-muted">
        taken {new Date(snapshot.createdAt).toLocaleString()} by {snapshot.createdBy} · {snapshot.files.toLocaleString()} files · {formatBytes(snapshot.bytes)}
      </div>
      {!verification ? <p className="mt-1 text-xs text-warn">Never verified: every blob is checked again before anything is written.</p> : null}
      {verification && !verification.ok ? (
        <p className="mt-1 text-xs text-bad">Last verification found {verification.problems.length} problems: the restore will abort before writing.</p>
      ) : null}
    </div>
  );
}

function OffsiteFacts({ copy }: { copy: OffsiteCopyView }) {
  return (
    <div className="rounded-md border border-border bg-surface-2 px-3 py-2 text-sm">
      <div className="font-mono font-medium">{copy.snapshotName}</div>
      <div className="text-xs text-muted">
        in off-site repository <span className="font-mono">{copy.repo}</span> · copied {new Date(copy.copiedAt).toLocaleString()}
      </div>
      <p className="mt-1 text-xs text-muted">It is fetched from the repository and every blob checked against its manifest before the restore starts.</p>
    </div>
  );
}

/** A local snapshot, or an off-site copy (fetched first, then restored the same way). */
type RestoreTarget = { snapshot: SnapshotHeader; from?: undefined } | { snapshot?: undefined; from: OffsiteCopyView };

/**
 * Golden restore: the files of the configured sources go back to this snapshot. Typing the
 * name is the guard against restoring the wrong row; the worker stages everything and commits
 * all or nothing, so the dialog only has to say what happened.
 */
export function RestoreDialog({
  snapshot,
  from,
  progress,
  open,
  onClose,
}: RestoreTarget & {
  progress: RecoveryProgress | null;
  open: boolean;
  onClose: () => void;
}) {
  const name = from ? from.snapshotName : snapshot.name;
  const [reason, setReason] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mirror, setMirror] = useState(false);
  const preview = useRestoreSnapshot(from?.repo);
  const restore = useRestoreSnapshot(from?.repo);
  const busy = preview.isPending || restore.isPending;
  const reasonOk = reason.trim().length >= 3;
  const confirmed = confirmation === name;
  const running = busy && progress && !progress.finished && (progress.operation === 'restore' || progress.operation === 'offsite-fetch') ? progress : null;
  const request = (dryRun: boolean) => ({ ref: name, reason: reason.trim(), mirror, dryRun });

  const close = () => {
    preview.reset();
    restore.reset();
    setConfirmation('');
    setReason('');
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={from ? `Restore from ${from.repo}` : 'Golden restore'}
      size="lg"
      dismissible={!restore.isPending}
      testId="restore-dialog"
    >
      {restore.data ? (
        <RestoreFinished result={restore.data} onDone={close} />
      ) : (
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed && reasonOk) restore.mutate(request(false));
          }}
        >
          <p className="text-sm text-muted">
            Puts every file of the snapshot&apos;s sources back as it was. Everything is staged and checked before the first file is replaced; if a blob is
            damaged or the health gate fails afterwards, the previous files are put back. Nothing is left half-restored.
          </p>
          {from ? <OffsiteFacts copy={from} /> : <SnapshotFacts snapshot={snapshot} />}
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 accent-[var(--accent)]"
              checked={mirror}
              onChange={(e) => setMirror(e.target.checked)}
              disabled={busy}
              data-testid="restore-mirror"
            />
            <span>
              <span className="font-medium">Mirror</span>
              <span className="block text-xs text-faint">Also delete files that are not in the snapshot. Without it, files created since are left alone.</span>
            </span>
          </label>
          <Field label="Reason" hint="Kept in the audit trail with your name.">
            <TextInput
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. config overwritten by a bad deploy"
              required
              minLength={3}
              maxLength={500}
              disabled={busy}
              data-testid="restore-reason"
            />
          </Field>
          <Field label={`Type ${name} to confirm`}>
            <TextInput
              value={confirmation}
              onChange={(e) => setConfirmation(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              disabled={busy}
              data-testid="restore-confirm"
            />
          </Field>
          {preview.data ? <RestoreResultCard result={preview.data} /> : null}
          {running ? <RecoveryProgressBar progress={running} /> : null}
          <FormError
            message={restore.error ? `Restore aborted: ${restore.error.message}` : preview.error ? `Preview failed: ${preview.error.message}` : null}
          />
          <div className="flex flex-wrap items-center justify-end gap-2">
            <Button variant="ghost" onClick={close} disabled={restore.isPending}>
              Cancel
            </Button>
            <Button variant="secondary" disabled={!reasonOk || busy} onClick={() => preview.mutate(request(true))} data-testid="restore-preview">
              {preview.isPending ? 'Comparing…' : 'Preview changes'}
            </Button>
            <Button type="submit" variant="danger" disabled={!confirmed || !reasonOk || busy} data-testid="restore-submit">
              {restore.isPending ? 'Restoring…' : 'Restore now'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
