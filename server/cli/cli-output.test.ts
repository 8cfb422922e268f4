import { describe, expect, it } from 'vitest';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { progressPrinter, renderProgressLine } from './progress-bar';
import { alignColumns } from './text-table';

const progress = (over: Partial<RecoveryProgress>): RecoveryProgress => ({
  operationId: 'op-1',
  operation: 'restore',
  snapshot: 'base',
  phase: 'stage',
  filesDone: 0,
  filesTotal: 0,
  bytesDone: 0,
  bytesTotal: 0,
  etaMs: null,
  startedAt: '2026-12-07T00:00:00.000Z',
  finished: false,
  ...over,
});

describe('what the CLI prints', () => {
  it('aligns a list into columns two spaces apart, with no trailing spaces', () => {
    expect(
      alignColumns([
        ['NAME', 'FILES', 'VERIFIED'],
        ['golden-base', '44', ''],
        ['b', '1200', 'never'],
      ]),
    ).toBe('NAME         FILES  VERIFIED\ngolden-base  44\nb            1200   never');
  });

  it('draws progress by bytes when it knows them, with files beside and the time left', () => {
    const line = renderProgressLine(progress({ filesDone: 3700, filesTotal: 10_000, bytesDone: 512 * 1024, bytesTotal: 1024 * 1024, etaMs: 61_500 }));
    expect(line).toMatch(/^\[#{12}-{12}\]\s+50% stage 3,700\/10,000 files /);
    expect(line).toContain('ETA 1m02s');
  });

  it('falls back to files, clamps what overshoots, and shows an ETA in seconds', () => {
    expect(renderProgressLine(progress({ phase: 'verify', filesDone: 12, filesTotal: 10, etaMs: 1500 }))).toBe(
      `[${'#'.repeat(24)}] 100% verify 12/10 files ETA 2s`,
    );
    expect(renderProgressLine(progress({ phase: 'verify' }))).toBe(`[${'-'.repeat(24)}]   0% verify`);
  });

  it('redraws one line on a terminal and clears it when finished; elsewhere prints each phase once', () => {
    const tty: string[] = [];
    const onTty = progressPrinter((text) => tty.push(text), true);
    onTty(progress({ filesDone: 1, filesTotal: 2 }));
    onTty(progress({ finished: true }));
    expect(tty[0]).toMatch(/^\r\x1b\[2K\[#{12}-{12}\]\s+50% stage/);
    expect(tty[1]).toBe('\r\x1b[2K');

    const log: string[] = [];
    const inLog = progressPrinter((text) => log.push(text), false);
    inLog(progress({ phase: 'stage', filesDone: 1, filesTotal: 3 }));
    inLog(progress({ phase: 'stage', filesDone: 2, filesTotal: 3 }));
    inLog(progress({ phase: 'verify', filesDone: 3, filesTotal: 3 }));
    inLog(progress({ finished: true }));
    expect(log).toEqual(['stage…\n', 'verify…\n']);
  });

  it('while it waits for the store, says for what: on a terminal instead of the bar, in a log once per holder', () => {
    const waiting = 'waiting for prune store (pid 41, since 03:12:09 UTC) to finish';
    expect(renderProgressLine(progress({ phase: 'queued', message: waiting }))).toBe(`${waiting}…`);
    const log: string[] = [];
    const inLog = progressPrinter((text) => log.push(text), false);
    inLog(progress({ phase: 'queued', message: waiting }));
    inLog(progress({ phase: 'queued', message: waiting }));
    inLog(progress({ phase: 'queued', message: waiting.replace('prune store', 'verify golden') }));
    inLog(progress({ phase: 'stage', filesDone: 1, filesTotal: 3 }));
    expect(log).toEqual([`${waiting}…\n`, `${waiting.replace('prune store', 'verify golden')}…\n`, 'stage…\n']);
  });
});
