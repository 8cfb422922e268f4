'use client';

import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { formatBytes, formatDuration } from '@/lib/format';
import { cn } from '../ui/cn';
import { PHASE_LABEL } from './snapshot-format';

const OPERATION_LABEL: Record<RecoveryProgress['operation'], string> = {
  create: 'Snapshot',
  verify: 'Verify',
  restore: 'Restore',
  prune: 'Prune',
  'offsite-copy': 'Off-site copy',
  'offsite-fetch': 'Off-site fetch',
  'offsite-check': 'Off-site check',
  'offsite-forget': 'Off-site retention',
  'offsite-init': 'Off-site set-up',
};

/** Bytes when the phase has any (big files dominate), else files; null while there is nothing to count. */
function fractionDone(p: RecoveryProgress): number | null {
  if (p.finished) return 1;
  if (p.bytesTotal > 0) return Math.min(1, p.bytesDone / p.bytesTotal);
  if (p.filesTotal > 0) return Math.min(1, p.filesDone / p.filesTotal);
  return null;
}

/** One operation's live state: what, which phase, how far, how long left. */
export function RecoveryProgressBar({ progress, className }: { progress: RecoveryProgress; className?: string }) {
  const fraction = fractionDone(progress);
  const failed = progress.finished && progress.ok === false;
  const tone = failed ? 'bg-bad' : progress.finished ? 'bg-ok' : 'bg-accent';
  return (
    <div
      className={cn('rounded-md border border-border bg-surface-2 px-3 py-2.5', className)}
      data-testid="recovery-progress"
      data-phase={progress.phase}
      data-finished={progress.finished ? 'true' : 'false'}
      role="status"
      aria-live="polite"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 text-sm">
        {/* Wraps rather than truncates: on a phone the phase ("Waiting its turn…") is what matters. */}
        <span className="min-w-0 break-words">
          <span className="font-medium">{OPERATION_LABEL[progress.operation]}</span>
          <span className="font-mono text-muted"> {progress.snapshot}</span>
          <span className={cn('ml-2', failed ? 'text-bad' : progress.finished ? 'text-ok' : 'text-muted')} data-testid="recovery-progress-phase">
            {progress.finished ? (failed ? 'failed' : 'finished') : `${PHASE_LABEL[progress.phase]}…`}
          </span>
        </span>
        {/* Counters belong to the phase running now; once finished they would be the last phase's
            ("0 / 1 files" after a restore that wrote 2), so the outcome's message speaks instead. */}
        <span className="tabular text-xs text-muted" hidden={progress.finished}>
          {progress.filesTotal > 0 ? `${progress.filesDone.toLocaleString()} / ${progress.filesTotal.toLocaleString()} files` : null}
          {progress.bytesTotal > 0 ? ` · ${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}` : null}
          {!progress.finished && progress.etaMs !== null ? ` · ${formatDuration(progress.etaMs / 1000)} left` : null}
        </span>
      </div>
      <div
        className="mt-2 h-1.5 overflow-hidden rounded-full bg-border"
        role="progressbar"
        aria-label={`${OPERATION_LABEL[progress.operation]} of ${progress.snapshot}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      >
        <div
          className={cn('h-full rounded-full transition-[width] duration-300', tone, fraction === null && 'w-1/3 motion-safe:animate-pulse')}
          style={fraction === null ? undefined : { width: `${Math.max(2, fraction * 100)}%` }}
        />
      </div>
      {progress.phase === 'queued' && !progress.finished && progress.message ? (
        <p className="mt-1.5 text-xs text-muted" data-testid="recovery-progress-waiting">
          {progress.message}
        </p>
      ) : null}
      {progress.finished && progress.message ? <p className={cn('mt-1.5 text-xs', failed ? 'text-bad' : 'text-muted')}>{progress.message}</p> : null}
    </div>
  );
}
