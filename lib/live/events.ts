// The one socket.io contract: the worker emits these, the browser listens to them.
// Every payload is an object so fields can be added without breaking either side.
// The payloads' types belong to their capabilities (lib/<capability>/); this file only names the events.
import type { AuditAppended } from '../audit/types';
import type { HealthSnapshot, DegradationChange } from '../health/types';
import type { RecoveryProgress } from '../recovery/snapshot-schema';
import type { ModuleView } from '../healing/module-view';
import type { IncidentSummary } from '../healing/incident';
import type { IntegrityFinding } from '../integrity/integrity-status';
import type { DefenseDecisionChange, DefenseModeChange, DefenseThreat } from '../defense/defense-types';
import type { ConfigStatus } from '../config/config-status';
import type { FleetCommandUpdate } from '../fleet/fleet-command-api';
import type { FleetHostsChanged } from '../fleet/host-status';

export interface ServerToClientEvents {
  'health:sample': (payload: HealthSnapshot) => void;
  'degradation:changed': (payload: DegradationChange) => void;
  'audit:appended': (payload: AuditAppended) => void;
  /** A snapshot, verify, restore or prune in progress (worker or CLI); `finished` closes it. */
  'recovery:progress': (payload: RecoveryProgress) => void;
  /** A detector's bucket overflowed; `action` says what the defense did about it. */
  'defense:threat': (payload: DefenseThreat) => void;
  /** A source was isolated, restored or its isolation expired. */
  'defense:decision': (payload: DefenseDecisionChange) => void;
  /** NORMAL / ELEVATED / LOCKDOWN changed, or a lockdown was set or lifted. */
  'defense:mode': (payload: DefenseModeChange) => void;
  /** A watched file was added, removed, changed or restored; sent after its audit event is stored. */
  'integrity:finding': (payload: IntegrityFinding) => void;
  /** The whole module table, after any module changed state (it is small: one row each). */
  'modules:changed': (payload: { modules: ModuleView[] }) => void;
  /** An incident opened, escalated, folded a dependent or resolved. */
  'incident:changed': (payload: IncidentSummary) => void;
  /** Risk was recomputed (every forecast cycle); `highest` is the riskiest subsystem's score. */
  'forecast:updated': (payload: { at: string; highest: number }) => void;
  /** The configuration file was read again: refused (the last good one kept) or applied. */
  'config:status': (payload: ConfigStatus) => void;
  /** A fleet command's step on one host (sent, accepted, progress, succeeded, failed, refused), once recorded. */
  'fleet:command-update': (payload: FleetCommandUpdate) => void;
  /** Hosts of the fleet reported, connected, went away or were revoked (at most one event a second). */
  'fleet:host_changed': (payload: FleetHostsChanged) => void;
}

export interface ClientToServerEvents {
  'health:current': (ack: (payload: HealthSnapshot | null) => void) => void;
}

export const LIVE_TOKEN_AUDIENCE = 'vigil-live';
