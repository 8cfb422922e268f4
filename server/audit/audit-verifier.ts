import { GENESIS_HASH } from '@/lib/audit/hash-chain';
import type { Database } from '../db/client';
import { checkpointsAfter } from '../queries/audit-checkpoints';
import { readSetting, writeSetting } from '../queries/settings';
import { checkpointSignatureValid, type CheckpointVerifyKey, type SignedCheckpoint } from './checkpoint-key';
import { scanChain, type ScanOptions } from './parallel-scan';
import { storedEventHashAt, storedHeadSeq } from './stored-events';
import { ANCHOR_SETTING, VERIFICATION_SETTING, type VerificationProblem, type VerificationResult } from './verification-state';

export { ANCHOR_SETTING, VERIFICATION_SETTING, readVerification, type VerificationProblem, type VerificationResult } from './verification-state';

export interface VerifyOptions {
  database: Database;
  /** Null when no key is available: checkpoints then fail, never silently pass. */
  key: CheckpointVerifyKey | null;
  mode: 'full' | 'incremental';
  now?: () => Date;
  /** Tuning for tests: when the scan leaves the main thread and when it splits over threads. */
  parallel?: ScanOptions;
}

const PROBLEM_TEXT: Record<VerificationProblem, string> = {
  'hash-mismatch': 'its stored hash is not the hash of its contents (the event was edited)',
  'prev-hash-mismatch': 'its prevHash does not match the previous event (events were removed, reordered or inserted)',
  'seq-gap': 'the sequence has a gap or is out of order (events were deleted or reordered)',
  'checkpoint-mismatch': 'the stored chain differs from a signed checkpoint (a stretch of events was rewritten and re-hashed)',
  'checkpoint-signature': 'a checkpoint signature does not verify with the signing key (a checkpoint was forged or altered)',
  'checkpoint-missing-event': 'a signed checkpoint names an event that is no longer stored (the end of the chain was cut off)',
  'anchor-signature': 'the retention anchor signature does not verify with the signing key',
  'anchor-mismatch': 'the stored event at the starting point does not match what was verified before',
};

type Failure = { seq: number; problem: VerificationProblem };
type Start = { seq: number; hash: string; failure?: Failure };

async function startingPoint(database: Database, key: CheckpointVerifyKey | null, mode: 'full' | 'incremental'): Promise<Start> {
  const anchor = await readSetting<SignedCheckpoint>(database, ANCHOR_SETTING);
  if (anchor && (!key || !checkpointSignatureValid(key, anchor)))
    return { seq: anchor.seq, hash: anchor.hash, failure: { seq: anchor.seq, problem: 'anchor-signature' } };
  const base = anchor ? { seq: anchor.seq, hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
  if (mode === 'full') return base;
  const previous = await readSetting<VerificationResult>(database, VERIFICATION_SETTING);
  const resume = previous?.ok ? previous.lastCheckpoint : null;
  if (!resume || resume.seq <= base.seq) return base;
  // What was verified before must still be there: a cheap guard against a rewrite of the verified prefix's end.
  const stored = await storedEventHashAt(database, resume.seq);
  if (!stored || stored.hash !== resume.hash) return { ...resume, failure: { seq: resume.seq, problem: 'anchor-mismatch' } };
  return resume;
}

/**
 * Verifies the stored chain: every event's hash and link and the seq order, and every
 * signed checkpoint in range (its signature, and that the event it names still has its
 * hash). The checkpoints are what catch a suffix re-hashed consistently by someone
 * without the key: the links would all hold, the signed hashes would not.
 */
export async function verifyAuditTrail({ database, key, mode, now = () => new Date(), parallel }: VerifyOptions): Promise<VerificationResult> {
  const startedAt = now();
  const t0 = performance.now();
  const start = await startingPoint(database, key, mode);
  let events = 0;
  let checkpointsChecked = 0;
  let lastCheckpoint: { seq: number; hash: string } | null = mode === 'incremental' && start.seq > 0 ? { seq: start.seq, hash: start.hash } : null;
  let lastGoodSeq = start.seq;
  let failure: Failure | null = start.failure ?? null;
  let breaks: Failure[] = [];
  let toSeq = start.seq;

  if (!failure) {
    const headSeq = await storedHeadSeq(database);
    toSeq = Math.max(headSeq, start.seq);
    const checkpoints = await checkpointsAfter(database.prisma, start.seq);
    // A full run reads the whole chain: never on the main thread, whatever its length.
    const scan = await scanChain(
      database,
      start,
      headSeq,
      checkpoints.map((c) => c.seq),
      { ...(mode === 'full' ? { offThreadFrom: 1 } : {}), ...parallel },
    );
    events = scan.events;
    lastGoodSeq = scan.lastGoodSeq;
    breaks = scan.breaks;
    // Checkpoints in seq order, up to where the events checked out; the earliest problem wins.
    for (const checkpoint of checkpoints) {
      if (checkpoint.seq > scan.lastGoodSeq) {
        if (!scan.failure) {
          checkpointsChecked += 1;
          failure = { seq: checkpoint.seq, problem: 'checkpoint-missing-event' };
        }
        break;
      }
      checkpointsChecked += 1;
      if (!key || !checkpointSignatureValid(key, checkpoint)) failure = { seq: checkpoint.seq, problem: 'checkpoint-signature' };
      else if (scan.hashAt.get(checkpoint.seq) !== checkpoint.hash) failure = { seq: checkpoint.seq, problem: 'checkpoint-mismatch' };
      if (failure) {
        // The events before a mismatching checkpoint are vouched for only up to the last good one.
        lastGoodSeq = lastCheckpoint?.seq ?? start.seq;
        break;
      }
      lastCheckpoint = { seq: checkpoint.seq, hash: checkpoint.hash };
    }
    failure ??= scan.failure;
  }
  const through = lastGoodSeq > start.seq || (lastGoodSeq > 0 && failure) ? await storedEventHashAt(database, lastGoodSeq) : null;
  const seconds = Math.max((performance.now() - t0) / 1000, 1e-6);
  const result: VerificationResult = {
    ok: failure === null,
    mode,
    fromSeq: start.seq,
    toSeq,
    verifiedThrough: through && lastGoodSeq > 0 ? { seq: lastGoodSeq, at: through.at } : null,
    events,
    checkpointsChecked,
    lastCheckpoint,
    eventsPerSecond: Math.round(events / seconds),
    message: failure
      ? `event #${failure.seq}: ${PROBLEM_TEXT[failure.problem]}`
      : lastGoodSeq > start.seq
        ? `chain verified up to #${lastGoodSeq}`
        : 'nothing new to verify',
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
  };
  if (failure) {
    result.firstBadSeq = failure.seq;
    result.problem = failure.problem;
    result.breaks = breaks.some((b) => b.seq === failure.seq) ? breaks : [failure, ...breaks].sort((a, b) => a.seq - b.seq);
  }
  return result;
}

/** Runs a verification and records it for the UI; incremental runs carry the verified range forward. */
export async function verifyAndRecord(options: VerifyOptions): Promise<VerificationResult> {
  const result = await verifyAuditTrail(options);
  const previous = options.mode === 'incremental' ? await readSetting<VerificationResult>(options.database, VERIFICATION_SETTING) : null;
  const recorded = result.ok && !result.verifiedThrough && previous?.ok ? { ...result, verifiedThrough: previous.verifiedThrough } : result;
  await writeSetting(options.database, VERIFICATION_SETTING, recorded);
  return recorded;
}
