import type { DefenseMode } from '@/lib/defense/defense-types';
import type { BlocklistChange } from '../blocklist';
import type { EnforcedIntervals } from '../ip-lists/ip-list-state';

/**
 * What the worker and its dedicated guard process say to each other over the IPC channel
 * (structured clone, so intervals keep their bigints; no zod here, the guard process loads only
 * what a check needs). The worker sends the whole state first,
 * then every change; the guard sends back what it counted.
 */

/** Everything a check consults, and the settings that shape it. */
export interface GuardSettings {
  trustedProxies: string[];
  /** Each check counts as a request of its source (`defense.countGuardRequests`). */
  countRequests: boolean;
}

/**
 * The decisions in force at start, column by column: the sources joined by newlines (no address
 * or range holds one) and each one's expiry (Infinity: none). One string and one typed array
 * cross the channel at start, cloned at a fraction of the cost of 100,000 objects.
 */
export interface DecisionColumns {
  sources: string;
  expiresAtMs: Float64Array;
}

/** `decisions` as columns (the worker's feed, and tests). */
export function decisionColumns(decisions: ReadonlyArray<{ source: string; expiresAtMs: number }>): DecisionColumns {
  return { sources: decisions.map((d) => d.source).join('\n'), expiresAtMs: Float64Array.from(decisions, (d) => d.expiresAtMs) };
}

/** Each source of `columns` with its expiry. */
export function forEachDecision(columns: DecisionColumns, visit: (source: string, expiresAtMs: number) => void): void {
  if (columns.expiresAtMs.length === 0) return;
  const sources = columns.sources.split('\n');
  for (let i = 0; i < sources.length; i++) visit(sources[i], columns.expiresAtMs[i]);
}

export interface GuardState extends GuardSettings {
  mode: DefenseMode;
  allowlist: string[];
  decisions: DecisionColumns;
  ipLists: EnforcedIntervals[];
}

/**
 * What the port holds up to from clients that hold connections open (slowloris): a proxy sends
 * a check's headers at once, so a request whose headers take longer is an attacker's, and the
 * connections beyond the bound are closed as they come rather than run the process out of files.
 */
export interface GuardLimits {
  headersTimeoutMs: number;
  maxConnections: number;
}

export const GUARD_LIMITS: GuardLimits = { headersTimeoutMs: 10_000, maxConnections: 8192 };

export type ToGuard =
  | { kind: 'start'; listen: { host: string; port: number }; limits: GuardLimits; state: GuardState }
  /** The whole state again, replacing the copy: sent instead of the changes a stalled process fell behind on. */
  | { kind: 'state'; state: GuardState }
  | { kind: 'decisions'; changes: BlocklistChange[] }
  | { kind: 'mode'; mode: DefenseMode }
  | { kind: 'allowlist'; sources: string[] }
  | { kind: 'ipLists'; lists: EnforcedIntervals[] }
  | { kind: 'settings'; settings: GuardSettings };

/**
 * Requests counted per source and path since the last batch, column by column: the i-th source
 * (`sources` joined by newlines, which no header value holds), its path (`paths` likewise, with
 * `pathless[i]` 1 where the request named none) and `counts[i]`. A batch holds thousands of pairs
 * under a flood; two strings and two typed arrays cross the channel and are checked at a fraction
 * of the cost of as many small arrays.
 */
export interface CountedRequests {
  sources: string;
  paths: string;
  pathless: Uint8Array;
  counts: Uint32Array;
}

/** A batch's pairs as the worker replays them: `[source, path or null, count]`. */
export type CountedPairs = Array<[string, string | null, number]>;

/** Distinct (source, path) pairs a batch holds at most: a fuller one is sent at once, so memory stays bounded. */
export const MAX_BATCH_KEYS = 10_000;

/** Longest path kept, as the in-worker guard keeps it. */
export const MAX_PATH = 2000;

export type FromGuard =
  | { kind: 'listening'; port: number }
  | { kind: 'listen_failed'; code: string; message: string }
  | { kind: 'requests'; at: number; checks: number; denied: number; requests: CountedRequests };

/** A 'requests' message once checked, its pairs read out of their columns. */
export interface CountedBatch {
  kind: 'requests';
  at: number;
  checks: number;
  denied: number;
  requests: CountedPairs;
}
