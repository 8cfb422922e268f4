import { z } from 'zod';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';
import { RecoveryError } from '../recovery-error';

/** restic's tags on a Vigil snapshot: which snapshot it is, by id and by name. */
export const VIGIL_TAG = 'vigil';
export const idTag = (id: string) => `vigil-id:${id}`;
export const nameTag = (name: string) => `vigil-name:${name}`;

const backupStatusSchema = z.looseObject({
  message_type: z.literal('status'),
  total_files: z.number().optional(),
  files_done: z.number().optional(),
  total_bytes: z.number().optional(),
  bytes_done: z.number().optional(),
});
const backupSummarySchema = z.looseObject({ message_type: z.literal('summary'), snapshot_id: z.string(), data_added: z.number().optional() });
export type BackupStatus = z.infer<typeof backupStatusSchema>;

export type BackupLine = { kind: 'status'; status: BackupStatus } | { kind: 'summary'; snapshotId: string; dataAdded: number } | null;

/** One line of `restic backup --json`; anything else (warnings, a newer restic's extra messages) is null. */
export function parseBackupLine(line: string): BackupLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const status = backupStatusSchema.safeParse(value);
  if (status.success) return { kind: 'status', status: status.data };
  const summary = backupSummarySchema.safeParse(value);
  if (summary.success) return { kind: 'summary', snapshotId: summary.data.snapshot_id, dataAdded: summary.data.data_added ?? 0 };
  return null;
}

const resticSnapshotSchema = z.looseObject({ id: z.string(), time: z.string(), tags: z.array(z.string()).nullish() });
type ResticSnapshot = z.infer<typeof resticSnapshotSchema>;

function asCopy(repo: string, snapshot: ResticSnapshot): OffsiteCopyView | null {
  const tags = snapshot.tags ?? [];
  const id = tags.find((t) => t.startsWith('vigil-id:'))?.slice('vigil-id:'.length);
  const name = tags.find((t) => t.startsWith('vigil-name:'))?.slice('vigil-name:'.length);
  if (!tags.includes(VIGIL_TAG) || !id || !name) return null;
  const copiedAt = Number.isNaN(Date.parse(snapshot.time)) ? new Date(0).toISOString() : new Date(snapshot.time).toISOString();
  return { repo, snapshotId: id, snapshotName: name, resticId: snapshot.id, copiedAt, verifiedAt: null, verifyOk: null };
}

/** restic's JSON answer; anything else (a broken or foreign program in its place) is a failure naming the repository. */
function resticJson(repo: string, what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RecoveryError('offsite_failed', `restic's ${what} of off-site repository ${repo} is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** `restic snapshots --json`: Vigil's copies, newest first; snapshots restic holds for others are left out. */
export function parseSnapshotList(repo: string, stdout: string): OffsiteCopyView[] {
  const parsed = z.array(resticSnapshotSchema).safeParse(resticJson(repo, 'listing', stdout || '[]'));
  if (!parsed.success) return [];
  return parsed.data
    .map((s) => asCopy(repo, s))
    .filter((c): c is OffsiteCopyView => c !== null)
    .sort((a, b) => b.copiedAt.localeCompare(a.copiedAt));
}

const forgetGroupSchema = z.looseObject({ keep: z.array(resticSnapshotSchema).nullish(), remove: z.array(resticSnapshotSchema).nullish() });

/** `restic forget --json`: what each policy group keeps and removes. */
export function parseForget(repo: string, stdout: string): { keep: OffsiteCopyView[]; remove: OffsiteCopyView[] } {
  // restic prints the JSON document on its own line; prune's report may follow on others.
  const line = stdout.split('\n').find((l) => l.trim().startsWith('['));
  const parsed = z.array(forgetGroupSchema).safeParse(line ? resticJson(repo, 'retention plan', line) : []);
  const groups = parsed.success ? parsed.data : [];
  const pick = (list: ResticSnapshot[]) => list.map((s) => asCopy(repo, s)).filter((c): c is OffsiteCopyView => c !== null);
  return { keep: pick(groups.flatMap((g) => g.keep ?? [])), remove: pick(groups.flatMap((g) => g.remove ?? [])) };
}
