import type { RestoreChange } from './snapshot-schema';

// What the console and the CLI show about off-site copies (restic repositories).

export interface OffsiteCheckView {
  at: string;
  ok: boolean;
  message: string;
}

export interface OffsiteRepositoryView {
  name: string;
  /** As configured, with any credential in it masked. */
  repository: string;
  keep: Record<string, number> | null;
  copyEveryHours: number | null;
  checkEveryHours: number;
  readDataSubset: string;
  lastCopyAt: string | null;
  lastCheck: OffsiteCheckView | null;
  lastError: OffsiteCheckView | null;
}

/** One Vigil snapshot held in one repository. */
export interface OffsiteCopyView {
  repo: string;
  snapshotId: string;
  snapshotName: string;
  resticId: string;
  copiedAt: string;
  verifiedAt: string | null;
  verifyOk: boolean | null;
}

export interface OffsiteOverviewView {
  /** False when restic is missing (reason says so) or no repository is configured. */
  enabled: boolean;
  reason: string | null;
  repositories: OffsiteRepositoryView[];
  copies: OffsiteCopyView[];
}

export interface OffsiteForgetView {
  repo: string;
  dryRun: boolean;
  keep: OffsiteCopyView[];
  remove: OffsiteCopyView[];
}

export interface OffsiteCheckResultView {
  repo: string;
  ok: boolean;
  message: string;
  /** The copy restored into a scratch directory and compared with its manifest, if any. */
  restoreTest: { snapshotName: string; files: number; problems: number } | null;
}

export type OffsiteRestoreChange = RestoreChange;
