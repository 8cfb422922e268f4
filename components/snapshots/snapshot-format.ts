import type { RecoveryPhase, SnapshotTag } from '@/lib/recovery/snapshot-schema';
import type { Tone } from '../ui/badge';

export const TAG_TONE: Record<SnapshotTag, Tone> = { golden: 'warn', safe: 'ok', scheduled: 'neutral', manual: 'accent', 'pre-restore': 'orange' };

export const PHASE_LABEL: Record<RecoveryPhase, string> = {
  queued: 'Waiting its turn',
  scan: 'Scanning',
  hash: 'Hashing files',
  verify: 'Verifying blobs',
  compare: 'Comparing with live files',
  stage: 'Staging',
  'stop-hook': 'Running the stop hook',
  commit: 'Writing files',
  'restart-hook': 'Running the restart hook',
  'health-gate': 'Waiting for the health gate',
  rollback: 'Rolling back',
  prune: 'Pruning',
  upload: 'Uploading with restic',
  download: 'Downloading with restic',
  check: 'Running restic check',
  forget: 'Applying retention',
  done: 'Done',
};

/** Enough of a SHA-256 to tell two versions apart at a glance; link targets stay whole. */
export function shortHash(value: string | undefined): string {
  if (!value) return '—';
  return /^[0-9a-f]{64}$/.test(value) ? value.slice(0, 10) : value;
}
