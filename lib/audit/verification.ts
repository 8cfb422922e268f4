/** The verifier's result as stored and served: shared by the worker, the web API and the audit page. */
export type VerificationProblem =
  | 'hash-mismatch'
  | 'prev-hash-mismatch'
  | 'seq-gap'
  | 'checkpoint-mismatch'
  | 'checkpoint-signature'
  | 'checkpoint-missing-event'
  | 'anchor-signature'
  | 'anchor-mismatch';

export interface VerificationResult {
  ok: boolean;
  mode: 'full' | 'incremental';
  /** The seq verification started after: 0 (genesis), the retention anchor or the last verified checkpoint. */
  fromSeq: number;
  /** The newest stored event when the run started: the run covers (fromSeq, toSeq]. */
  toSeq?: number;
  /** The last event whose hash and link checked out; null when none were checked. */
  verifiedThrough: { seq: number; at: string } | null;
  firstBadSeq?: number;
  problem?: VerificationProblem;
  /** Every event found broken, in seq order (capped): checking goes on past the first, so a later edit is not hidden by it. */
  breaks?: Array<{ seq: number; problem: VerificationProblem }>;
  message: string;
  events: number;
  checkpointsChecked: number;
  /** The newest checkpoint found good: where the next incremental run starts. */
  lastCheckpoint: { seq: number; hash: string } | null;
  eventsPerSecond: number;
  startedAt: string;
  finishedAt: string;
}
