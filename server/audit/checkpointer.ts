import { appendFile } from 'node:fs/promises';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { readAuditHead } from '../queries/audit';
import { insertCheckpoint, latestCheckpoint } from '../queries/audit-checkpoints';
import { dbErrorMessage } from '../db/db-error';
import { signCheckpoint, type CheckpointKey, type SignedCheckpoint } from './checkpoint-key';

export interface CheckpointerOptions {
  database: Database;
  key: CheckpointKey;
  /** NDJSON file every checkpoint is appended to, so a copy can be shipped off the host. */
  exportFile: string;
  everyEvents: number;
  everyMs: number;
  log: Logger;
  onCheckpoint?: (checkpoint: SignedCheckpoint) => void;
  now?: () => Date;
}

/**
 * Signs the chain head every N events, or every M minutes when there were new events.
 * A checkpoint is a row and an export line, not an audit event: an event about a
 * checkpoint would move the head and call for another checkpoint, forever.
 */
export class Checkpointer {
  private head: { seq: number; hash: string } | null = null;
  private lastSeq = 0;
  private running: Promise<SignedCheckpoint | null> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: CheckpointerOptions) {}

  /** Whether the newest stored checkpoint has been read; the database may be down at start. */
  private loaded = false;

  async start(): Promise<void> {
    await this.load().catch(() => undefined);
    this.timer = setInterval(() => void this.checkpoint().catch(() => undefined), this.options.everyMs);
    this.timer.unref();
  }

  /** The AuditWriter's onCommitted: counts what this worker committed and checkpoints every N. */
  observe(events: ChainedAuditEvent[]): void {
    const lastEvent = events[events.length - 1];
    if (!lastEvent) return;
    if (!this.head || lastEvent.seq > this.head.seq) this.head = { seq: lastEvent.seq, hash: lastEvent.hash };
    if (this.due()) void this.checkpoint().catch(() => undefined);
  }

  private due(): boolean {
    return this.head !== null && this.head.seq - this.lastSeq >= this.options.everyEvents;
  }

  /** Signs the newest committed head unless it is already signed; one at a time. */
  checkpoint(): Promise<SignedCheckpoint | null> {
    this.running ??= this.write().finally(() => {
      this.running = null;
    });
    return this.running.then((signed) => {
      // Events committed while this one was being signed may already call for the next.
      if (signed && this.due()) void this.checkpoint().catch(() => undefined);
      return signed;
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async load(): Promise<void> {
    const last = await latestCheckpoint(this.options.database);
    const head = await readAuditHead(this.options.database);
    this.lastSeq = Math.max(this.lastSeq, last?.seq ?? 0);
    if (head.seq > this.lastSeq && (!this.head || head.seq > this.head.seq)) this.head = head;
    this.loaded = true;
  }

  private async write(): Promise<SignedCheckpoint | null> {
    if (!this.loaded) await this.load();
    const head = this.head;
    if (!head || head.seq <= this.lastSeq) return null;
    const { database, key, log } = this.options;
    const signed = signCheckpoint(key, { seq: head.seq, hash: head.hash, at: (this.options.now?.() ?? new Date()).toISOString() });
    try {
      await insertCheckpoint(database.prisma, signed);
      await appendFile(this.options.exportFile, `${JSON.stringify(signed)}\n`, { mode: 0o640 });
    } catch (error) {
      log.warn({ err: dbErrorMessage(error), seq: head.seq }, 'audit checkpoint could not be written; retrying later');
      throw error;
    }
    this.lastSeq = head.seq;
    log.info({ seq: signed.seq, keyId: signed.keyId }, 'audit checkpoint signed');
    this.options.onCheckpoint?.(signed);
    return signed;
  }
}
