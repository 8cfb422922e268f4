/**
 * The incident contract shared by the healing engine (which opens, advances and resolves
 * incidents), escalation and notifications (which tell people), and the dashboard.
 */
export const FAILURE_CLASSES = ['transient', 'degradation', 'service_failure', 'data_corruption', 'drift', 'critical'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export const ROOT_CAUSES = [
  'network',
  'resource_exhaustion',
  'overload',
  'configuration',
  'data_corruption',
  'dependency_failure',
  'code_bug',
  'killed_by_signal',
  'supervisor_lost',
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

/** 1 self-heal retry → 2 restart → 3 notify operators → 4 critical alert on every channel → 5 human required. */
export type EscalationLevel = 1 | 2 | 3 | 4 | 5;

export type IncidentSeverity = 'warning' | 'high' | 'critical';

export interface IncidentSummary {
  id: string;
  module: string;
  title: string;
  severity: IncidentSeverity;
  failureClass: FailureClass;
  rootCause: RootCause | null;
  /** 0-1, from the evidence. */
  confidence: number;
  state: 'open' | 'resolved';
  escalationLevel: EscalationLevel;
  openedAt: string;
  resolvedAt: string | null;
  /** Modules whose alerts were folded into this incident because they depend on `module`. */
  affectedDependents: string[];
}

export type NotificationKind = 'alert' | 'reminder' | 'critical' | 'recovery';
export const NOTIFICATION_KINDS = ['alert', 'reminder', 'critical', 'recovery'] as const satisfies readonly NotificationKind[];

export interface IncidentNotification {
  kind: NotificationKind;
  incident: IncidentSummary;
  /** One line for people: what happened and what Vigil did. */
  message: string;
  /** Absolute link to the incident in the console, when the public URL is known. */
  link?: string;
  /** A test sent from the console ("send test notification"), not a real incident. */
  test?: boolean;
}
