import path from 'node:path';
import { z } from 'zod';
import { manifestEntrySchema } from '@/lib/recovery/snapshot-schema';
import { anchorOf } from './confined-fs';
import { RecoveryError } from './recovery-error';

/** Bumped whenever the journal's shape changes: a journal of another version is not acted on. */
export const JOURNAL_VERSION = 2;

const absolutePath = z
  .string()
  .refine((value) => path.isAbsolute(value) && path.normalize(value) === value && !value.includes('\0'), 'must be an absolute, normalized path');
const ownerSchema = z.object({ uid: z.number().int().nonnegative(), gid: z.number().int().nonnegative() });
const modeSchema = z.number().int().min(0).max(0o7777);
const fileEntry = manifestEntrySchema.options[0];
const symlinkEntry = manifestEntrySchema.options[2];

// A plain union: the two kinds of write share the discriminator 'write'.
export const restoreOpSchema = z.union([
  z.object({
    kind: z.literal('write'),
    type: z.literal('file'),
    entry: fileEntry,
    dest: absolutePath,
    staged: absolutePath,
    backup: absolutePath,
    hadOriginal: z.boolean(),
  }),
  z.object({
    kind: z.literal('write'),
    type: z.literal('symlink'),
    entry: symlinkEntry,
    dest: absolutePath,
    staged: absolutePath,
    backup: absolutePath,
    hadOriginal: z.boolean(),
  }),
  z.object({ kind: z.literal('mkdir'), dest: absolutePath, mode: modeSchema, backup: absolutePath, hadOriginal: z.boolean() }),
  z.object({ kind: z.literal('remove'), dest: absolutePath, backup: absolutePath }),
  z.object({
    kind: z.literal('meta'),
    dest: absolutePath,
    isDir: z.boolean(),
    mode: modeSchema,
    mtimeMs: z.number(),
    owner: ownerSchema.nullable(),
    original: z.object({ mode: modeSchema, mtimeMs: z.number(), owner: ownerSchema }).nullable(),
  }),
]);
export type RestoreOp = z.infer<typeof restoreOpSchema>;
export type Owner = z.infer<typeof ownerSchema>;

export const journalPhaseSchema = z.enum(['staging', 'staged', 'committing', 'committed', 'finalizing']);
export type JournalPhase = z.infer<typeof journalPhaseSchema>;

const journalRootSchema = z.object({
  source: z.string(),
  dir: absolutePath,
  exclude: z.array(z.string()),
  staging: absolutePath,
  rootType: z.enum(['file', 'dir', 'symlink']),
  anchor: absolutePath,
  createdRoot: z.boolean(),
});

const stateFilesSchema = z.record(z.string(), z.string()).nullable();

/** Every path a journal names must lie beneath one of its roots' anchors: it is acted on blindly. */
export const opPaths = (op: RestoreOp): string[] => [op.dest, ...('backup' in op ? [op.backup] : []), ...('staged' in op ? [op.staged] : [])];

export const restoreJournalSchema = z
  .object({
    version: z.literal(JOURNAL_VERSION),
    operationId: z.string().min(1),
    snapshotId: z.string(),
    snapshotName: z.string(),
    actor: z.string(),
    reason: z.string(),
    startedAt: z.string(),
    phase: journalPhaseSchema,
    mirror: z.boolean(),
    roots: z.array(journalRootSchema),
    ops: z.array(restoreOpSchema),
    /** Vigil's own state as it was before, base64 per file, when the restore replaces it. */
    previousState: stateFilesSchema,
    restoredState: stateFilesSchema,
  })
  .superRefine((journal, ctx) => {
    const anchors = journal.roots.map((root) => root.anchor);
    journal.roots.forEach((root, index) => {
      for (const file of [root.dir, root.staging])
        if (anchorOf(file, [root.anchor]) === null)
          ctx.addIssue({ code: 'custom', message: `${file} lies outside its anchor ${root.anchor}`, path: ['roots', index] });
    });
    journal.ops.forEach((op, index) => {
      const outside = opPaths(op).find((file) => anchorOf(file, anchors) === null);
      if (outside) ctx.addIssue({ code: 'custom', message: `${outside} lies outside every restore root`, path: ['ops', index] });
    });
  });
export type RestoreJournal = z.infer<typeof restoreJournalSchema>;

/** A journal that is not exactly what this Vigil writes is reported, never acted on. */
export function parseJournal(text: string, file: string): RestoreJournal {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecoveryError('corrupt', `the restore journal ${file} is not valid JSON; nothing was changed. Inspect it, then move it away to continue`);
  }
  const parsed = restoreJournalSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const version = typeof value === 'object' && value !== null && 'version' in value ? (value as { version: unknown }).version : undefined;
  const issue = parsed.error.issues[0];
  const why =
    version !== JOURNAL_VERSION
      ? `it has version ${JSON.stringify(version)}, this Vigil writes version ${JOURNAL_VERSION}`
      : `${issue.path.join('.') || 'journal'}: ${issue.message}`;
  throw new RecoveryError(
    'corrupt',
    `the restore journal ${file} is not one this Vigil can act on (${why}); nothing was changed. Inspect it, then move it away to continue`,
  );
}
