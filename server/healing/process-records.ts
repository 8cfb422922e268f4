import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readProcStat } from './process-group';

/** What a worker remembers of a process it spawned, so the next worker can find it after a crash. */
export const processRecordSchema = z.object({
  module: z.string(),
  pid: z.number().int().positive(),
  pgid: z.number().int().positive(),
  /** `/proc/<pid>/stat` field 22: a recycled pid has another start time and is never touched. */
  startTime: z.string(),
  command: z.array(z.string()),
  startedAt: z.string(),
  /** The worker that spawned it, with its own start time: a live one still supervises it. */
  worker: z.object({ pid: z.number().int(), startTime: z.string().nullable() }),
});
export type ProcessRecord = z.infer<typeof processRecordSchema>;

/**
 * One small file per supervised process in `<data dir>/supervised/`, each written to a temp
 * file, fsynced and renamed over the old one: a worker killed mid-write leaves the old record
 * or the new one, never half of either.
 */
export class ProcessRecords {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'supervised');
  }

  private file(module: string): string {
    // Module names are letters, digits, . _ - (the schema says so); the prefix keeps "." and ".." out.
    return path.join(this.dir, `process-${module}.json`);
  }

  write(record: ProcessRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.file(record.module);
    const temp = `${file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(record));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    const dir = openSync(this.dir, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  remove(module: string): void {
    rmSync(this.file(module), { force: true });
  }

  /** Every readable record; a damaged file is dropped (it cannot name a process safely). */
  list(): ProcessRecord[] {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch {
      return [];
    }
    const records: ProcessRecord[] = [];
    for (const entry of entries.filter((name) => name.startsWith('process-'))) {
      const file = path.join(this.dir, entry);
      if (entry.endsWith('.tmp')) {
        rmSync(file, { force: true });
        continue;
      }
      try {
        records.push(processRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8'))));
      } catch {
        rmSync(file, { force: true });
      }
    }
    return records;
  }
}

/** This worker, as records name it. */
export const thisWorker = (): ProcessRecord['worker'] => ({ pid: process.pid, startTime: readProcStat(process.pid)?.startTime ?? null });

/** The worker of a record still runs (and is not this one): its processes are not orphans. */
export function supervisedElsewhere(record: ProcessRecord): boolean {
  if (record.worker.pid === process.pid) return false;
  const worker = readProcStat(record.worker.pid);
  return worker !== null && worker.state !== 'Z' && worker.startTime === record.worker.startTime;
}
