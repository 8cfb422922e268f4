// What the health monitor reports: to the dashboard, the machine API and live clients.
import type { DegradationLevel, Feature } from './degradation';
import type { Deduction, SystemSample } from './score';

export interface HealthSnapshot {
  sample: SystemSample;
  score: number;
  deductions: Deduction[];
  degradation: DegradationLevel;
  /** Set when an operator holds the level at least this degraded. */
  pinnedDegradation: DegradationLevel | null;
  disabledFeatures: readonly Feature[];
  workerStartedAt: string;
  database: DatabaseStatus;
}

export interface DatabaseStatus {
  ok: boolean;
  /** Events waiting for the database (in memory and in the spool). */
  pendingEvents: number;
  lastError: string | null;
}

export interface DegradationChange {
  from: DegradationLevel;
  to: DegradationLevel;
  score: number;
  at: string;
  reason: string;
}
