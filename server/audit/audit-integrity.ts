import path from 'node:path';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { Database } from '../db/client';
import type { AuditEnv } from '../env/audit-env';
import type { Logger } from '../log';
import { AUDIT_CHAIN_BROKEN } from '@/lib/alerts/default-rules';
import { dbErrorMessage } from '../db/db-error';
import type { AuditWriter } from './audit-writer';
import { verifyAndRecord, type VerificationResult } from './audit-verifier';
import { loadCheckpointKey, type CheckpointKey } from './checkpoint-key';
import { Checkpointer } from './checkpointer';
import { pruneAuditTrail, type PruneOutcome } from './retention';

const VERIFY_EVERY_MS = 10 * 60_000;

export interface AuditIntegrityOptions {
  database: Database;
  env: AuditEnv & { dataDir: string };
  log: Logger;
  audit: () => AuditWriter;
}

/** The worker's side of tamper evidence: signed checkpoints, periodic verification and retention. */
export class AuditIntegrity {
  readonly key: CheckpointKey;
  readonly checkpointer: Checkpointer;
  private verifying: Promise<VerificationResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private broken = false;

  constructor(private readonly options: AuditIntegrityOptions) {
    // Throws a CheckpointKeyError (naming VIGIL_AUDIT_KEY_PATH) on a key with loose permissions.
    this.key = loadCheckpointKey(options.env.auditKeyPath, { create: true })!;
    this.checkpointer = new Checkpointer({
      database: options.database,
      key: this.key,
      exportFile: path.join(options.env.dataDir, 'audit-checkpoints.ndjson'),
      everyEvents: options.env.auditCheckpointEvery,
      everyMs: options.env.auditCheckpointMs,
      log: options.log,
      onCheckpoint: () => void this.verify('incremental').catch(() => undefined),
    });
  }

  async start(): Promise<void> {
    await this.checkpointer.start();
    this.timer = setInterval(() => void this.verify('incremental').catch(() => undefined), VERIFY_EVERY_MS);
    this.timer.unref();
  }

  observe = (events: ChainedAuditEvent[]): void => this.checkpointer.observe(events);

  /** One verification at a time; a request during a run gets that run's result. */
  verify(mode: 'full' | 'incremental'): Promise<VerificationResult> {
    this.verifying ??= verifyAndRecord({ database: this.options.database, key: this.key, mode })
      .then((result) => {
        if (!result.ok)
          this.options.log.error({ firstBadSeq: result.firstBadSeq, problem: result.problem }, `audit chain verification failed: ${result.message}`);
        void this.reportBreak(result);
        return result;
      })
      .catch((error: unknown) => {
        this.options.log.warn({ err: dbErrorMessage(error) }, 'audit chain verification could not run');
        throw error;
      })
      .finally(() => {
        this.verifying = null;
      });
    return this.verifying;
  }

  /** On a fleet agent: the last of its events the console holds; retention keeps everything after it. */
  private deliveredThrough: (() => number) | null = null;

  keepUndeliveredAfter(deliveredThrough: () => number): void {
    this.deliveredThrough = deliveredThrough;
  }

  /** Hourly, from the worker's housekeeping; only a chain that verifies is pruned. */
  async prune(now = new Date()): Promise<PruneOutcome | null> {
    if (this.options.env.auditRetentionMs <= 0) return null;
    const verified = await this.verify('incremental');
    if (!verified.ok) return { pruned: 0, skipped: 'the chain does not verify' };
    const outcome = await pruneAuditTrail({
      database: this.options.database,
      key: this.key,
      retentionMs: this.options.env.auditRetentionMs,
      now,
      record: (event) => this.options.audit().append(event),
      deliveredThrough: this.deliveredThrough?.() ?? undefined,
    });
    if (outcome.pruned > 0) this.options.log.info({ pruned: outcome.pruned }, 'pruned audit events past the retention');
    return outcome;
  }

  /** Once per break (and again after it was repaired and broke anew), so alerting hears of it without a flood. */
  private async reportBreak(result: VerificationResult): Promise<void> {
    const wasBroken = this.broken;
    this.broken = !result.ok;
    if (result.ok || wasBroken) return;
    await this.options
      .audit()
      .append({
        type: AUDIT_CHAIN_BROKEN,
        severity: 'critical',
        actor: 'system',
        action: 'audit chain verification failed',
        module: 'audit',
        resource: result.firstBadSeq === undefined ? null : `seq:${result.firstBadSeq}`,
        reason: result.message.slice(0, 2000),
        method: 'verify',
        details: { firstBadSeq: result.firstBadSeq ?? null, problem: result.problem ?? null },
      })
      .catch((error: unknown) => this.options.log.error({ err: dbErrorMessage(error) }, 'could not audit a broken audit chain'));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checkpointer.stop();
    await this.verifying?.catch(() => undefined);
  }
}
