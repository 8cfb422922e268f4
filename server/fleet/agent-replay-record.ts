import { constants, mkdirSync, openSync, readFileSync, closeSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log';
import { ReplayGuard } from './fleet-signing';

const recordSchema = z.object({ seen: z.array(z.tuple([z.string().max(100), z.number()])).max(100_000) }).strict();

export const replayRecordIn = (dataDir: string) => path.join(dataDir, 'fleet', 'seen-commands.json');

/**
 * The agent's replay guard, kept on disk: the nonces of commands it accepted, until they expire.
 * Without it a command captured on the wire could be played back to an agent that restarted
 * within the command's lifetime, and a restart or a restore would run twice. Each accepted nonce
 * is written (to a new file, renamed over the old) before the command is carried out.
 *
 * A record that cannot be read (damaged, or placed there by someone else) is not trusted to be
 * complete: commands issued before this start are then refused, as only a replay can be one.
 */
export class DurableReplayGuard {
  private constructor(
    private readonly file: string,
    private readonly guard: ReplayGuard,
    /** Commands issued before this are refused: what was seen before it is unknown. */
    private readonly notIssuedBeforeMs: number,
    private readonly log: Logger,
  ) {}

  static open(file: string, log: Logger, nowMs = Date.now()): DurableReplayGuard {
    try {
      // O_NOFOLLOW: a link placed where the record lives is not followed to what it points at.
      const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
      let text: string;
      try {
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
      const record = recordSchema.parse(JSON.parse(text));
      return new DurableReplayGuard(file, new ReplayGuard(record.seen.filter(([, until]) => until >= nowMs)), 0, log);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new DurableReplayGuard(file, new ReplayGuard(), 0, log);
      log.error({ file, err: (error as Error).message }, 'the record of accepted fleet commands could not be read; refusing commands issued before this start');
      return new DurableReplayGuard(file, new ReplayGuard(), nowMs, log);
    }
  }

  /** True the first time a nonce is offered before `expiresAtMs`, once it is on disk; false for a replay. */
  accept(nonce: string, expiresAtMs: number, nowMs = Date.now(), issuedAtMs = nowMs): boolean {
    if (issuedAtMs < this.notIssuedBeforeMs) return false;
    if (!this.guard.accept(nonce, expiresAtMs, nowMs)) return false;
    this.save();
    return true;
  }

  private save(): void {
    const temporary = `${this.file}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // A stale or planted temporary file goes first; O_EXCL then creates ours, never through a link.
      rmSync(temporary, { force: true });
      const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        writeSync(fd, JSON.stringify({ seen: this.guard.entries() }));
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.file);
    } catch (error) {
      // The command is still carried out: a guard held in memory is what every run had before.
      this.log.error({ file: this.file, err: (error as Error).message }, 'could not record an accepted fleet command; a restart could accept it again');
    }
  }
}
