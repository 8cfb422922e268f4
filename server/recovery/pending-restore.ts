import type { AuditEventInput } from '@/lib/audit/types';
import { RecoveryError } from './recovery-error';
import { readJournal } from './restore-journal';

export interface PendingRestore {
  snapshotName: string;
  startedAt: string;
  /** The journal's phase, or `unreadable` when the journal cannot be acted on. */
  phase: string;
  actor: string;
  /** Why the journal cannot be acted on, when it cannot. */
  problem?: string;
}

/** An interrupted restore as the status API shows it; a journal that does not parse is shown too. */
export async function pendingRestoreIn(storeRoot: string): Promise<PendingRestore | null> {
  try {
    const journal = await readJournal(storeRoot);
    return journal ? { snapshotName: journal.snapshotName, startedAt: journal.startedAt, phase: journal.phase, actor: journal.actor } : null;
  } catch (error) {
    if (!(error instanceof RecoveryError)) throw error;
    return { snapshotName: 'unknown', startedAt: '', phase: 'unreadable', actor: 'unknown', problem: error.message };
  }
}

/**
 * What the worker does at start about a restore it finds interrupted. One killed while staging
 * changed nothing live, so rolling it back (removing its work areas) is always safe and done
 * at once. Any other is left for an operator (`--resume` or `--rollback`): it stopped with the
 * tree half-restored, and which way to go depends on why it stopped. It is recorded in the
 * audit trail and stays visible in the recovery status until then.
 */
export function interruptedRestoreEvent(pending: PendingRestore): AuditEventInput {
  return {
    type: 'snapshot.restore_interrupted',
    severity: 'high',
    actor: 'system',
    action: `interrupted restore of ${pending.snapshotName} found at start`,
    module: 'recovery',
    resource: `snapshot:${pending.snapshotName}`,
    method: 'restore journal',
    details: {
      phase: pending.phase,
      startedAt: pending.startedAt,
      restoreActor: pending.actor,
      ...(pending.problem ? { problem: pending.problem } : {}),
      settle: 'vigil snapshot restore --resume | --rollback',
    },
  };
}
