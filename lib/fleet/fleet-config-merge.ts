import type { VigilConfig } from '../config/config-schema';
import { FLEET_CONFIG_PARTS, type FleetConfigContent, type FleetConfigHostState, type FleetConfigPart, type FleetConfigTarget } from './fleet-config-api';

export interface AssignmentVersion {
  assignmentId: number;
  target: FleetConfigTarget;
  /** Fleet-wide, increasing with every save: the newer of two versions has the higher one. */
  revision: number;
  version: number;
  content: FleetConfigContent;
}

export interface EffectiveAssignment {
  /** The highest revision among the assignments that reach the host; 0 when none does. */
  revision: number;
  content: FleetConfigContent;
  parts: Partial<Record<FleetConfigPart, { assignmentId: number; version: number }>>;
}

const reaches = (target: FleetConfigTarget, host: { id: number; labels: Record<string, string> }) =>
  'hostId' in target ? target.hostId === host.id : Object.entries(target.labels).every(([name, value]) => host.labels[name] === value);

/** Host-specific first; then the selector naming more labels; then the newest. A total order, so every replica merges alike. */
function precedence(a: AssignmentVersion, b: AssignmentVersion): number {
  const specificity = (target: FleetConfigTarget) => ('hostId' in target ? Number.MAX_SAFE_INTEGER : Object.keys(target.labels).length);
  return specificity(b.target) - specificity(a.target) || b.revision - a.revision;
}

/**
 * What the console assigns to one host: each part comes whole from the first assignment, in
 * precedence order, that sets it (parts are never merged item by item, so what runs is always one
 * assignment's list as written).
 */
export function effectiveAssignment(host: { id: number; labels: Record<string, string> }, assignments: AssignmentVersion[]): EffectiveAssignment {
  const matching = assignments.filter((assignment) => reaches(assignment.target, host)).sort(precedence);
  const content: Record<string, unknown> = {};
  const parts: EffectiveAssignment['parts'] = {};
  for (const part of FLEET_CONFIG_PARTS) {
    const from = matching.find((assignment) => assignment.content[part] !== undefined);
    if (!from) continue;
    content[part] = from.content[part];
    parts[part] = { assignmentId: from.assignmentId, version: from.version };
  }
  const revision = matching.reduce((highest, assignment) => Math.max(highest, assignment.revision), 0);
  return { revision, content: content as FleetConfigContent, parts };
}

/** The host's configuration with each assigned part in place of its own. */
export function withAssignedParts(config: VigilConfig, content: FleetConfigContent): VigilConfig {
  return {
    ...config,
    modules: content.modules ?? config.modules,
    integrity: content.integrityPaths ? { ...config.integrity, paths: content.integrityPaths } : config.integrity,
    logs: content.logSources ? { ...config.logs, files: content.logSources } : config.logs,
    snapshots: content.snapshotSources ? { ...config.snapshots, sources: content.snapshotSources } : config.snapshots,
  };
}

/**
 * Where a host stands against its assigned revision: applied once it answered with that revision
 * (or a later one), rejected when it refused that one, pending until either; none with nothing assigned.
 */
export function hostStateOf(
  assignedRevision: number,
  answered: { appliedRevision: number | null; rejectedRevision: number | null; reason: string | null } | null,
): { state: FleetConfigHostState; reason: string | null } {
  if (assignedRevision === 0) return { state: 'none', reason: null };
  if ((answered?.appliedRevision ?? 0) >= assignedRevision) return { state: 'applied', reason: null };
  if ((answered?.rejectedRevision ?? 0) >= assignedRevision) return { state: 'rejected', reason: answered?.reason ?? null };
  return { state: 'pending', reason: null };
}
