import { randomUUID } from 'node:crypto';
import type { RecoveryOperation, RecoveryPhase, RecoveryProgress } from '@/lib/recovery/snapshot-schema';

export type ProgressListener = (progress: RecoveryProgress) => void;

/**
 * Counts files and bytes of the current phase and reports them at most every
 * `intervalMs`, so a 10,000-file restore sends a few dozen updates, not 10,000.
 */
export class ProgressReporter {
  readonly operationId = randomUUID();
  private readonly startedAt = new Date().toISOString();
  private state: RecoveryProgress;
  private phaseStarted = performance.now();
  private lastEmit = 0;

  constructor(
    operation: RecoveryOperation,
    snapshot: string,
    private readonly listener: ProgressListener = () => undefined,
    private readonly intervalMs = 100,
  ) {
    this.state = {
      operationId: this.operationId,
      operation,
      snapshot,
      phase: 'scan',
      filesDone: 0,
      filesTotal: 0,
      bytesDone: 0,
      bytesTotal: 0,
      etaMs: null,
      startedAt: this.startedAt,
      finished: false,
    };
  }

  /** Whether anything was reported yet: an operation refused before it began leaves no trace. */
  get reported(): boolean {
    return this.lastEmit > 0;
  }

  rename(snapshot: string): void {
    this.state = { ...this.state, snapshot };
  }

  /** Waiting for the store: `message` says for what, so a wait is never a silent stall. */
  queued(message: string): void {
    this.state = { ...this.state, phase: 'queued', message, etaMs: null };
    this.emit(true);
  }

  phase(phase: RecoveryPhase, totals: { files?: number; bytes?: number } = {}): void {
    this.phaseStarted = performance.now();
    this.state = {
      ...this.state,
      phase,
      message: undefined,
      filesDone: 0,
      bytesDone: 0,
      filesTotal: totals.files ?? 0,
      bytesTotal: totals.bytes ?? 0,
      etaMs: null,
    };
    this.emit(true);
  }

  advance(files: number, bytes: number): void {
    this.state.filesDone += files;
    this.state.bytesDone += bytes;
    this.emit(false);
  }

  finish(ok: boolean, message?: string): void {
    this.state = { ...this.state, phase: 'done', finished: true, ok, message, etaMs: 0 };
    this.emit(true);
  }

  private emit(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    this.state.etaMs = estimateRemaining(this.state, now - this.phaseStarted);
    this.listener({ ...this.state });
  }
}

/** Bytes decide the rate when there are any (big files dominate time), else files do. */
function estimateRemaining(progress: Pick<RecoveryProgress, 'filesDone' | 'filesTotal' | 'bytesDone' | 'bytesTotal'>, elapsedMs: number): number | null {
  const useBytes = progress.bytesTotal > 0;
  const done = useBytes ? progress.bytesDone : progress.filesDone;
  const total = useBytes ? progress.bytesTotal : progress.filesTotal;
  if (done <= 0 || total <= 0 || elapsedMs < 50) return null;
  return Math.max(0, Math.round(((total - done) * elapsedMs) / done));
}
