import { z } from 'zod';
import { operatorReasonSchema } from '../audit/audit-payload';

/** What a path looked like when it was baselined or last seen; `hash` is SHA-256 (of the target for a symlink). */
export interface FileState {
  type: 'file' | 'symlink';
  hash: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
}

export const fileStateSchema = z.object({
  type: z.enum(['file', 'symlink']),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  mode: z.number().int().nonnegative(),
  uid: z.number().int(),
  gid: z.number().int(),
  mtimeMs: z.number(),
});

/** `restored`: the path is back to its baseline after an earlier finding. */
export type FindingKind = 'added' | 'removed' | 'changed' | 'restored';

export interface IntegrityFinding {
  path: string;
  kind: FindingKind;
  critical: boolean;
  severity: 'info' | 'high' | 'critical';
  /** The baseline state; null for an added file. */
  before: FileState | null;
  /** The current state; null for a removed file. */
  after: FileState | null;
  /** Which attributes differ from the baseline (hash, size, mode, uid, gid, type). */
  changed: string[];
  at: string;
  /** How it was noticed. */
  via: 'watch' | 'scan';
}

/** A finding as it is kept on disk with the baseline, checked when read back. */
export const integrityFindingSchema = z.object({
  path: z.string().min(1),
  kind: z.enum(['added', 'removed', 'changed', 'restored']),
  critical: z.boolean(),
  severity: z.enum(['info', 'high', 'critical']),
  before: fileStateSchema.nullable(),
  after: fileStateSchema.nullable(),
  changed: z.array(z.string()),
  at: z.string(),
  via: z.enum(['watch', 'scan']),
}) satisfies z.ZodType<IntegrityFinding>;

export interface IntegrityStatus {
  enabled: boolean;
  /** Realtime watch: directories watched, or why it is off. */
  realtime: { active: boolean; directories: number; note: string | null };
  filesWatched: number;
  roots: { path: string; critical: boolean }[];
  baselineCreatedAt: string | null;
  baselineAgeMs: number | null;
  lastScan: { at: string; durationMs: number; files: number; bytes: number; findings: number } | null;
  scanning: boolean;
  nextScanAt: string | null;
  /** Paths that differ from the baseline now. */
  outstanding: number;
  recentFindings: IntegrityFinding[];
  lastError: string | null;
}

export const rebaselineRequestSchema = z.object({
  actor: z.string().min(1).max(200),
  reason: operatorReasonSchema,
});
export type RebaselineRequest = z.infer<typeof rebaselineRequestSchema>;
