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
  tokens: () => ['tokens', {}] as const,
  shareLinks: () => ['share-links', {}] as const,
};
