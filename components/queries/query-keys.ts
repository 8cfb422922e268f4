import type { HistoryRange } from '@/lib/health/history-range';

/** Keys are [resource, params]; the live module and the hooks agree through this file. */
export const queryKeys = {
  healthCurrent: () => ['health-current', {}] as const,
  healthHistory: (range: HistoryRange) => ['health-history', { range }] as const,
  healthHistoryAll: () => ['health-history'] as const,
  auditRecent: (limit: number) => ['audit-recent', { limit }] as const,
  auditRecentAll: () => ['audit-recent'] as const,
  /** `filters` is the canonical query string; `live` marks views that follow the head ("now"). */
  auditSearch: (filters: string, live: boolean) => ['audit-search', { filters, live }] as const,
  auditSearchLive: () => ['audit-search', { live: true }] as const,
  users: () => ['users', {}] as const,
  bouncers: () => ['bouncers', {}] as const,
  tokens: () => ['tokens', {}] as const,
  shareLinks: () => ['share-links', {}] as const,
  cluster: () => ['cluster', {}] as const,
  /** Whether the configuration file is in force; 'config:status' replaces it whole. */
  configStatus: () => ['config-status', {}] as const,
  recovery: () => ['recovery', {}] as const,
  /** Under `recovery`: whatever refreshes the snapshots refreshes where their copies are. */
  offsite: () => ['recovery', { offsite: true }] as const,
  /** Under `recovery` too: a copy or restore refreshes what a repository lists. */
  offsiteListing: (repo: string) => ['recovery', { offsite: true, repo }] as const,
  /** The latest 'recovery:progress' report; written only by the live module. */
  recoveryProgress: () => ['recovery-progress', {}] as const,
  /** `against` null: the snapshot against the live files. */
  snapshotDiff: (ref: string, against: string | null) => ['snapshot-diff', { ref, against }] as const,
  /** The module table; 'modules:changed' replaces it whole. */
  modules: () => ['modules', {}] as const,
  incidents: () => ['incidents', {}] as const,
  /** Every incident's timeline, for invalidating when any incident moves. */
  incidentAll: () => ['incident'] as const,
  incident: (id: string) => ['incident', { id }] as const,
  moduleDefinition: (name: string) => ['module-definition', { name }] as const,
  moduleLogs: (name: string) => ['module-logs', { name }] as const,
  /** Risk, its history and predictions; 'forecast:updated' invalidates it every cycle. */
  forecast: () => ['forecast', {}] as const,
  governor: () => ['governor', {}] as const,
  /** Mode, threats and isolations; the 'defense:*' events write into it. */
  defense: () => ['defense', {}] as const,
  /** Imported IP lists; polled, and refetched after "refresh now". */
  blocklists: () => ['blocklists', {}] as const,
  /** File integrity; 'integrity:finding' invalidates it. */
  integrity: () => ['integrity', {}] as const,
  /** Chaos drill runs; polled while one is running. */
  drills: () => ['drills', {}] as const,
  /** Every host of the fleet; 'fleet:host_changed' invalidates it. */
  fleetHosts: () => ['fleet-hosts', {}] as const,
  /** The newest fleet commands; 'fleet:command-update' writes each host's step into it. */
  fleetCommands: () => ['fleet-commands', {}] as const,
  /** Configuration assigned from the console and where each host stands; 'fleet:host_changed' invalidates it too. */
  fleetConfig: () => ['fleet-config', {}] as const,
  fleetConfigVersions: (assignmentId: number) => ['fleet-config', { assignmentId }] as const,
  /** One host's view asked of its agent; polled, since the agent's own live events stay on the agent. */
  hostSection: (hostId: number, section: string) => ['host-section', { hostId, section }] as const,
};
