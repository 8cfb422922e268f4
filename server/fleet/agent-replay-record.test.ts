import { readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, silentLogger, type TempDir } from '../test-support';
import { DurableReplayGuard, replayRecordIn } from './agent-replay-record';

describe("the agent's record of accepted commands", () => {
  let tmp: TempDir;
  afterEach(() => tmp?.remove());

  it('is read back by the next run, forgets what expired, and refuses everything issued before a start whose record was damaged', () => {
    tmp = makeTempDir('vigil-replay-record-');
    const file = replayRecordIn(tmp.path);
    const first = DurableReplayGuard.open(file, silentLogger(), 1000);
    expect(first.accept('a', 5000, 1000)).toBe(true);
    expect(first.accept('b', 2000, 1000)).toBe(true);
    const second = DurableReplayGuard.open(file, silentLogger(), 3000);
    expect(second.accept('a', 5000, 3000)).toBe(false);
    expect(second.accept('b', 9000, 3000)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      seen: [
        ['a', 5000],
        ['b', 9000],
      ],
    });

    writeFileSync(file, '{"seen": [["a", 5000');
    const damaged = DurableReplayGuard.open(file, silentLogger(), 4000);
    expect(damaged.accept('c', 9000, 4000, 3999)).toBe(false);
    expect(damaged.accept('d', 9000, 4000, 4000)).toBe(true);
  });

  it('does not follow a link placed where the record lives, nor write through one', () => {
    tmp = makeTempDir('vigil-replay-record-');
    const file = replayRecordIn(tmp.path);
    DurableReplayGuard.open(file, silentLogger(), 0).accept('a', 5000, 0);
    const elsewhere = tmp.join('elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ seen: [] }));
    symlinkSync(elsewhere, `${file}.tmp`);
    const guard = DurableReplayGuard.open(file, silentLogger(), 1000);
    expect(guard.accept('b', 5000, 1000)).toBe(true);
    expect(readFileSync(elsewhere, 'utf8')).toBe('{"seen":[]}');
    // The record itself replaced by a link: not trusted, so what was issued before this start is refused.
    const planted = tmp.join('planted.json');
    writeFileSync(planted, JSON.stringify({ seen: [] }));
    renameSync(file, tmp.join('moved.json'));
    symlinkSync(planted, file);
    expect(DurableReplayGuard.open(file, silentLogger(), 2000).accept('a', 5000, 2000, 0)).toBe(false);
  });
});
