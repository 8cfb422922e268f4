import type { ModuleView } from '@/lib/healing/module-view';
import type { ModuleRuntime } from './module-runtime';
import { canRestart } from './recovery-actions';

export type { ModuleView };

export function moduleView(runtime: ModuleRuntime, now: number): ModuleView {
  const d = runtime.definition;
  return {
    id: d.name,
    name: d.name,
    kind: d.kind,
    state: runtime.state,
    stateSince: new Date(runtime.stateSince).toISOString(),
    restarts: runtime.restartTimes.length,
    critical: d.critical,
    source: runtime.source,
    message: runtime.last?.message ?? null,
    latencyMs: runtime.last?.latencyMs ?? null,
    p95Ms: runtime.window.p95(d.detection.errorWindowSeconds * 1000, now, 3),
    baselineMs: runtime.baseline.current === null ? null : Math.round(runtime.baseline.current * 10) / 10,
    sparkline: [...runtime.recentLatency],
    lastCheckAt: runtime.last ? new Date(runtime.last.at).toISOString() : null,
    incidentId: runtime.incidentId ?? runtime.foldedInto,
    dependsOn: d.dependsOn,
    autonomy: d.autonomy,
    observeOnly: d.observeOnly,
    pid: runtime.supervisor?.pid ?? null,
    pendingApproval: runtime.pendingApproval,
    canRestart: canRestart(d),
    ...(runtime.vantage && { vantage: runtime.vantage }),
  };
}
