import type { ConfigStatus } from '../config/config-status';
import type { IncidentSummary } from './incident';
import type { ModuleView } from './module-view';

// What the operator API answers about modules and incidents, as the browser reads it. The
// worker's own types (server/healing, server/queries/incidents) must stay assignable to these:
// their handlers, typed by the contracts in server/contracts/healing-contracts.ts, fail the type
// check the day they drift apart.

/** A stored incident with its detection and repair times (MTTR null while it is open). */
export interface IncidentRecordView extends IncidentSummary {
  firstFailureAt: string;
  detectedAt: string;
  mttdMs: number;
  mttrMs: number | null;
}

export const INCIDENT_STEP_KINDS = [
  'detected',
  'classified',
  'action',
  'escalated',
  'notified',
  'verified',
  'resolved',
  'approval',
  'folded',
  'alert_received',
  'alert_resolved',
] as const;
export type IncidentStepKind = (typeof INCIDENT_STEP_KINDS)[number];

export interface IncidentStepView {
  at: string;
  /** One of INCIDENT_STEP_KINDS; kept a string so a new kind shows up instead of failing. */
  kind: string;
  message: string;
  details: Record<string, unknown>;
}

export interface IncidentDetailView extends IncidentRecordView {
  steps: IncidentStepView[];
}

export interface HealingOverviewView {
  modules: ModuleView[];
  openIncidents: IncidentSummary[];
  recentIncidents: IncidentRecordView[];
  /** Null where no configuration file is watched. */
  configStatus: ConfigStatus | null;
}

/** GET /api/incidents: what is open now (live from the engine) and the latest stored ones. */
export interface IncidentListView {
  open: IncidentSummary[];
  recent: IncidentRecordView[];
}

export interface ModuleLogLineView {
  at: string;
  stream: 'stdout' | 'stderr' | 'vigil';
  text: string;
}

export interface ModuleLogsView {
  module: string;
  lines: ModuleLogLineView[];
}
