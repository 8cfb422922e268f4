import { open, readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PendingAuditEvent } from '../queries/audit';

/**
 * An append-only file of events the database did not take yet. Appends are fsynced
 * before they count as accepted, so neither a database outage nor a crash of the
 * worker loses them; the writer drains the file, in order, once the database is back.
 */
export class AuditSpool {
  private count = 0;

  constructor(private readonly file: string) {}

  get size(): number {
    return this.count;
  }

  async load(): Promise<PendingAuditEvent[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.count = 0;
        return [];
      }
      throw error;
    }
    const events: PendingAuditEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        events.push(JSON.parse(line) as PendingAuditEvent);
      } catch {
        // A line torn by a crash mid-write was never acknowledged: skip it.
      }
    }
    this.count = events.length;
    return events;
  }

  async append(events: PendingAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.write(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.count += events.length;
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
    this.count = 0;
  }
}
