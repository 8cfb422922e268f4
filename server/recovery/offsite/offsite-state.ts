import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';
import { writeFileAtomic } from '../fs-atomic';

const checkSchema = z.object({ at: z.string(), ok: z.boolean(), message: z.string() });

const copySchema = z.object({
  repo: z.string(),
  snapshotId: z.string(),
  snapshotName: z.string(),
  resticId: z.string(),
  copiedAt: z.string(),
  verifiedAt: z.string().nullable(),
  verifyOk: z.boolean().nullable(),
});

const repoStateSchema = z.object({
  lastCopyAt: z.string().nullable().default(null),
  lastCheck: checkSchema.nullable().default(null),
  lastError: checkSchema.nullable().default(null),
  lastForgetAt: z.string().nullable().default(null),
});
export type OffsiteRepoState = z.infer<typeof repoStateSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  repositories: z.record(z.string(), repoStateSchema),
  copies: z.array(copySchema),
});
export type OffsiteState = z.infer<typeof stateSchema>;

const emptyState = (): OffsiteState => ({ version: 1, repositories: {}, copies: [] });
export const emptyRepoState = (): OffsiteRepoState => ({ lastCopyAt: null, lastCheck: null, lastError: null, lastForgetAt: null });

/**
 * Where each snapshot has been copied and when it was last verified, kept in the data directory
 * rather than the snapshot store: it must outlive the store it describes. restic is the truth;
 * listing a repository brings this file back in line with it.
 */
export class OffsiteStateFile {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  static in(dataDir: string): OffsiteStateFile {
    return new OffsiteStateFile(path.join(dataDir, 'offsite-state.json'));
  }

  async read(): Promise<OffsiteState> {
    const text = await readFile(this.file, 'utf8').catch(() => null);
    if (text === null) return emptyState();
    try {
      const parsed = stateSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : emptyState();
    } catch {
      return emptyState();
    }
  }

  /** Read, change, write, one change at a time within this process. */
  update(change: (state: OffsiteState) => void): Promise<void> {
    const next = this.chain.then(async () => {
      const state = await this.read();
      change(state);
      await writeFileAtomic(this.file, JSON.stringify(state, null, 1), 0o600);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

export function repoState(state: OffsiteState, repo: string): OffsiteRepoState {
  state.repositories[repo] ??= emptyRepoState();
  return state.repositories[repo];
}

/** restic 0.14 reports a new snapshot by its short id, and lists snapshots by their full one. */
export const sameResticId = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

/** A repository's copies as restic lists them now; verification times carry over by restic id. */
export function replaceCopies(state: OffsiteState, repo: string, listed: OffsiteCopyView[]): void {
  const previous = state.copies.filter((c) => c.repo === repo);
  const merged = listed.map((copy) => {
    const known = previous.find((c) => sameResticId(c.resticId, copy.resticId));
    return known ? { ...copy, verifiedAt: known.verifiedAt, verifyOk: known.verifyOk } : copy;
  });
  state.copies = [...state.copies.filter((c) => c.repo !== repo), ...merged];
}
