import type { ModuleKind, ModuleState } from './module-schema';
import type { VantageSummary } from './vantage-schema';

/** What the module table, the machine API and Prometheus see of a module. */
export interface ModuleView {
  id: string;
  name: string;
  kind: ModuleKind;
  state: ModuleState;
  stateSince: string;
  restarts: number;
  critical: boolean;
  source: 'config' | 'console';
  message: string | null;
  latencyMs: number | null;
  p95Ms: number | null;
  baselineMs: number | null;
  /** Last 30 probe latencies (null for a failed probe), oldest first. */
  sparkline: (number | null)[];
  lastCheckAt: string | null;
  incidentId: string | null;
  dependsOn: string[];
  autonomy: string;
  observeOnly: boolean;
  pid: number | null;
  pendingApproval: string | null;
  /** Whether a restart (automatic or by an operator) has any way to happen. */
  canRestart: boolean;
  /** Each vantage point's last answer, for a module probed from several hosts. */
  vantage?: VantageSummary;
}
