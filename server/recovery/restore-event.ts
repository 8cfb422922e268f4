import type { AuditEventInput } from '@/lib/audit/types';
import type { RestoreResult } from './restore-snapshot';

/** The audit event of a finished restore (completed, resumed or rolled back), with the health gate's checks. */
export function restoreEvent(result: RestoreResult, input: { actor: string; reason: string; targetDir?: string; mirror: boolean }): AuditEventInput {
  const rolledBack = result.outcome === 'rolled-back';
  return {
    type: rolledBack ? 'snapshot.restore_rolled_back' : 'snapshot.restored',
    severity: rolledBack ? 'high' : 'warning',
    actor: input.actor,
    action: `restore snapshot ${result.snapshot.name}`,
    module: 'recovery',
    resource: `snapshot:${result.snapshot.name}`,
    reason: input.reason,
    method: input.mirror ? 'restore --mirror' : 'restore',
    details: {
      id: result.snapshot.id,
      manifestHash: result.snapshot.manifestHash,
      outcome: result.outcome,
      target: input.targetDir ?? 'original paths',
      filesWritten: result.filesWritten,
      bytesWritten: result.bytesWritten,
      removed: result.removed,
      durationMs: result.durationMs,
      ...(result.rollbackReason ? { rollbackReason: result.rollbackReason } : {}),
      ...(result.gate ? { gate: result.gate.checks.map((c) => ({ check: c.check, ok: c.ok, message: c.message })) } : {}),
    },
  };
}
