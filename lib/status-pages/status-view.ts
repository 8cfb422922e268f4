import type { StatusUpdateStatus } from './status-page-schema';

/**
 * What a status page publishes, and nothing else: labels the operator chose, states, uptime
 * figures, daily response times and the operator's own posts. No probe target, message, kind,
 * process id or internal incident ever enters this shape, so no renderer can leak one.
 */
export type PublicModuleState = 'operational' | 'degraded' | 'outage' | 'maintenance' | 'unknown';

export interface PublicUptime {
  /** Fraction of observed time up, 0..1, or null where nothing was observed. */
  h24: number | null;
  d7: number | null;
  d30: number | null;
  d90: number | null;
}

export interface PublicModule {
  label: string;
  state: PublicModuleState;
  uptime: PublicUptime;
  /** Daily mean response time (ms) over the last 30 days, oldest first; null for a day without probes. */
  responseTimes: { day: string; ms: number | null }[];
}

export interface PublicPostUpdate {
  at: string;
  status: StatusUpdateStatus;
  message: string;
}

export interface PublicPost {
  id: string;
  kind: 'incident' | 'maintenance';
  title: string;
  impact: string;
  startsAt: string;
  endsAt: string | null;
  resolvedAt: string | null;
  updates: PublicPostUpdate[];
}

export interface PublicStatusPage {
  slug: string;
  title: string;
  description: string | null;
  logo: string | null;
  overall: PublicModuleState;
  modules: PublicModule[];
  /** Open incidents and maintenance under way. */
  active: PublicPost[];
  /** Maintenance announced for later. */
  upcoming: PublicPost[];
  /** Closed posts of the last 14 days. */
  past: PublicPost[];
  generatedAt: string;
}
