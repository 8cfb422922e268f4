import type { AuditEventInput } from '@/lib/audit/types';
import type { ModuleState } from '@/lib/healing/module-schema';
import type { ModuleRuntime } from './module-runtime';

/** The audit event of a module's state change: a critical module down is critical, any other down is high. */
export function stateChangedEvent(
  runtime: ModuleRuntime,
  { from, to, reason, actor }: { from: ModuleState; to: ModuleState; reason: string; actor: string },
): AuditEventInput {
  const severity = to === 'down' ? (runtime.definition.critical ? 'critical' : 'high') : to === 'degraded' ? 'warning' : 'info';
  return {
    type: 'module.state_changed',
    severity,
    actor,
    action: `${runtime.name}: ${from} → ${to}`,
    module: runtime.name,
    reason: reason.slice(0, 500),
    method: runtime.definition.kind,
    details: { from, to },
  };
}
