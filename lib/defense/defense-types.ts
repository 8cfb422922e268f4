// What the worker's defense reports to the dashboard, the machine API and live clients.

export type DefenseMode = 'NORMAL' | 'ELEVATED' | 'LOCKDOWN';

export type ThreatLevel = 'medium' | 'high' | 'critical';
export type GroupBy = 'ip' | 'cidr24' | 'user' | 'token';
/** What the defense did about a threat. */
/** `protected`: the source is loopback or a trusted proxy, which is never isolated. */
export const THREAT_ACTIONS = ['recorded', 'isolated', 'already-isolated', 'allowlisted', 'protected'] as const;
export type ThreatAction = (typeof THREAT_ACTIONS)[number];

/** Threats that started in one minute (`minute` is its start, epoch ms), by level. */
export interface ThreatMinute extends Record<ThreatLevel, number> {
  minute: number;
}

export interface DefenseThreat {
  id: string;
  at: string;
  scenario: string;
  level: ThreatLevel;
  groupBy: GroupBy;
  /** The bucket key: an address, a /24, a user name or a token id. */
  key: string;
  /** The client address of the signal that overflowed the bucket, when known. */
  source: string | null;
  /** Events in the bucket when it overflowed. */
  count: number;
  action: ThreatAction;
  origin: string;
  modeAtDetection: DefenseMode;
}

export interface DefenseDecision {
  id: number;
  /** An address or a CIDR range, canonical text. */
  source: string;
  scope: 'ip' | 'range';
  origin: 'auto' | 'manual';
  scenario: string | null;
  reason: string;
  actor: string;
  /** 1 for a first isolation, then 2, 3 … for repeat offenders. */
  offence: number;
  createdAt: string;
  /** null: until restored by hand. */
  expiresAt: string | null;
}

export interface DefenseDecisionChange {
  change: 'isolated' | 'restored' | 'expired';
  decision: DefenseDecision;
  actor: string;
  reason: string;
  at: string;
}

export interface LockdownState {
  actor: string;
  reason: string;
  since: string;
  expiresAt: string | null;
}

export interface DefenseModeChange {
  from: DefenseMode;
  to: DefenseMode;
  actor: string;
  reason: string;
  at: string;
  lockdown: LockdownState | null;
}

export interface AllowlistEntry {
  source: string;
  /** 'config' entries come from the file and are edited there; 'ui' ones from operators. */
  origin: 'config' | 'ui';
  reason: string | null;
  createdBy: string | null;
  createdAt: string | null;
}

export interface DefenseOverview {
  mode: DefenseMode;
  lockdown: LockdownState | null;
  threats: DefenseThreat[];
  isolations: DefenseDecision[];
  isolationCount: number;
  allowlist: AllowlistEntry[];
  /** Threats per level over the last hour, for the statistics widget. */
  threatCounts: Record<ThreatLevel, number>;
  /** The same hour per minute (only minutes with threats, oldest first), for the chart. */
  threatsPerMinute: ThreatMinute[];
  guard: { checks: number; denied: number };
}
