import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fileStateSchema, integrityFindingSchema, type FileState, type IntegrityFinding } from '@/lib/integrity/integrity-status';
import { writeFileAtomic } from '../recovery';

/**
 * The trusted picture of every watched file, like AIDE's database: part of Vigil's state,
 * kept as one JSON file in the data directory and replaced atomically on every change.
 */
export interface Baseline {
  createdAt: string;
  /** Scope keys baselined so far: a newly configured root is baselined, not reported as added. */
  scopes: string[];
  files: Map<string, FileState>;
  /** Paths already reported and how they looked then, so one change is one finding. */
  reported: Map<string, FileState | null>;
  /**
   * The newest findings, oldest first, saved with `reported` so the list and the count of paths
   * that differ are read back together; absent in files written before it was kept.
   */
  recent?: IntegrityFinding[];
}

const baselineFileSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  scopes: z.array(z.string()),
  files: z.record(z.string(), fileStateSchema),
  reported: z.record(z.string(), fileStateSchema.nullable()),
  recent: z.array(integrityFindingSchema).optional(),
});

export type LoadedBaseline = { status: 'ok'; baseline: Baseline } | { status: 'missing' } | { status: 'unreadable'; reason: string };

export async function loadBaseline(file: string): Promise<LoadedBaseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? 'read failed' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 'unreadable', reason: 'not valid JSON' };
  }
  const parsed = baselineFileSchema.safeParse(json);
  if (!parsed.success) return { status: 'unreadable', reason: `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}` };
  const { createdAt, scopes, files, reported, recent } = parsed.data;
  return { status: 'ok', baseline: { createdAt, scopes, files: new Map(Object.entries(files)), reported: new Map(Object.entries(reported)), recent } };
}

export async function saveBaseline(file: string, baseline: Baseline): Promise<void> {
  const body = {
    version: 1,
    createdAt: baseline.createdAt,
    scopes: baseline.scopes,
    files: Object.fromEntries(baseline.files),
    reported: Object.fromEntries(baseline.reported),
    recent: baseline.recent ?? [],
  };
  await writeFileAtomic(file, JSON.stringify(body), 0o600);
}
