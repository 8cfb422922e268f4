import { z } from 'zod';

/** Names travel in URLs, file names and CLI arguments: no separators, no dots in front. */
export const snapshotNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ and - only, starting with a letter or digit (no path separators)');

export const SNAPSHOT_TAGS = ['golden', 'safe', 'scheduled', 'manual', 'pre-restore'] as const;
export const snapshotTagSchema = z.enum(SNAPSHOT_TAGS);
export type SnapshotTag = z.infer<typeof snapshotTagSchema>;

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex');

/** Owner ids, restored when the restore runs as root (as restic and tar do). */
const owner = { uid: z.number().int().nonnegative().optional(), gid: z.number().int().nonnegative().optional() };

/** One manifest line. `path` is `<source>/<relative path>`, always with forward slashes. */
export const manifestEntrySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('file'),
    path: z.string(),
    mode: z.number().int(),
    size: z.number().int().nonnegative(),
    mtimeMs: z.number(),
    hash: sha256Schema,
    ...owner,
  }),
  z.object({ type: z.literal('dir'), path: z.string(), mode: z.number().int(), mtimeMs: z.number(), ...owner }),
  z.object({ type: z.literal('symlink'), path: z.string(), mode: z.number().int(), mtimeMs: z.number(), target: z.string(), ...owner }),
]);
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type FileEntry = Extract<ManifestEntry, { type: 'file' }>;

export const manifestSchema = z.object({
  version: z.literal(1),
  sources: z.array(z.object({ name: z.string(), path: z.string(), exclude: z.array(z.string()).default([]) })),
  entries: z.array(manifestEntrySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const verificationSummarySchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  files: z.number().int(),
  bytes: z.number(),
  problems: z.array(z.object({ path: z.string(), hash: z.string().optional(), problem: z.enum(['missing', 'corrupt', 'manifest']), message: z.string() })),
});
export type VerificationSummary = z.infer<typeof verificationSummarySchema>;

/** What a snapshot is, without its entries: small enough to list hundreds at once. */
export const snapshotHeaderSchema = z.object({
  id: z.string().regex(/^[0-9a-z]{12}$/),
  name: snapshotNameSchema,
  tags: z.array(snapshotTagSchema),
  createdAt: z.string(),
  createdBy: z.string(),
  manifestHash: sha256Schema,
  sources: z.array(z.object({ name: z.string(), path: z.string() })),
  files: z.number().int(),
  dirs: z.number().int(),
  bytes: z.number(),
  /** Bytes this snapshot added to the store (new blobs); the rest was deduplicated. */
  newBytes: z.number(),
  durationMs: z.number(),
  lastVerification: verificationSummarySchema.nullable(),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export const RECOVERY_PHASES = [
  'queued',
  'scan',
  'hash',
  'verify',
  'compare',
  'stage',
  'stop-hook',
  'commit',
  'restart-hook',
  'health-gate',
  'rollback',
  'prune',
  'upload',
  'download',
  'check',
  'forget',
  'done',
] as const;
export type RecoveryPhase = (typeof RECOVERY_PHASES)[number];
export const RECOVERY_OPERATIONS = [
  'create',
  'verify',
  'restore',
  'prune',
  'offsite-copy',
  'offsite-fetch',
  'offsite-check',
  'offsite-forget',
  'offsite-init',
] as const;
export type RecoveryOperation = (typeof RECOVERY_OPERATIONS)[number];

/** A live progress report; the same shape goes to the dashboard and to the CLI's bar. */
export interface RecoveryProgress {
  operationId: string;
  operation: RecoveryOperation;
  snapshot: string;
  phase: RecoveryPhase;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Estimated milliseconds left in this phase; null until there is a rate to go by. */
  etaMs: number | null;
  startedAt: string;
  finished: boolean;
  ok?: boolean;
  message?: string;
}

export interface RestoreChange {
  path: string;
  change: 'add' | 'modify' | 'remove' | 'mode';
}
