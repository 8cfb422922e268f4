import { open, readFile, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PendingAuditEvent } from '../queries/audit';

/**
 * An append-only file of events the database did not take yet. Appends are fsynced
 * before they count as accepted, so neither a database outage nor a crash of the
 * worker loses them; the writer drains the file, in order, once the database is back.
 */
export interface SpoolContents {
  events: PendingAuditEvent[];
  /**
   * The chain head seq the writer knew when it spooled (the lowest over all lines).
   * Anything of these events that did get committed sits after it, so a replay
   * only has to look there for duplicates; 0 when it was not known.
   */
  afterSeq: number;
}

type SpoolLine = PendingAuditEvent & { afterSeq?: number };

export class AuditSpool {
  private count = 0;

  constructor(private readonly file: string) {}

  get size(): number {
    return this.count;
  }

  async load(): Promise<SpoolContents> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.count = 0;
        return { events: [], afterSeq: 0 };
      }
      throw error;
    }
    const events: PendingAuditEvent[] = [];
    let afterSeq = Number.POSITIVE_INFINITY;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const { afterSeq: lineAfter, ...event } = JSON.parse(line) as SpoolLine;
        afterSeq = Math.min(afterSeq, typeof lineAfter === 'number' ? lineAfter : 0);
        events.push(event);
      } catch {
        // A line torn by a crash mid-write was never acknowledged: skip it.
      }
    }
    this.count = events.length;
    return { events, afterSeq: Number.isFinite(afterSeq) ? afterSeq : 0 };
  }

  async append(events: PendingAuditEvent[], afterSeq = 0): Promise<void> {
    if (events.length === 0) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a', 0o600);
    try {
      // The leading newline ends a line a crash may have torn, so it cannot swallow this write.
      await handle.write(`\n${events.map((e) => `${JSON.stringify({ ...e, afterSeq })}\n`).join('')}`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.count += events.length;
  }

  /** Replaces the contents atomically (a crash leaves the old file or the new one, never half of each). */
  async rewrite(events: PendingAuditEvent[], afterSeq: number): Promise<void> {
    if (events.length === 0) return this.clear();
    const next = `${this.file}.next`;
    const handle = await open(next, 'w', 0o600);
    try {
      await handle.write(events.map((e) => `${JSON.stringify({ ...e, afterSeq })}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(next, this.file);
    this.count = events.length;
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
    this.count = 0;
  }
}
