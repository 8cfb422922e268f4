// Big files are copied and hashed on threads of their own: what they answer must be what a hash
// on the main thread would say, their failures must read as node's own, and one failed job must
// not take the others with it.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, rejectionOf, thrownBy, type TempDir } from '../test-support';
import { checkLentCopies } from './blob-io';
import { BlobThreads, type CopyOutcome, type SmallCopy, type StoreJob } from './blob-threads';
import { RecoveryError } from './recovery-error';

let tmp: TempDir;
let threads: BlobThreads;

beforeEach(() => {
  tmp = makeTempDir('vigil-blob-threads-');
  threads = new BlobThreads(2);
});
afterEach(async () => {
  await threads.close();
  tmp.remove();
});

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

describe('BlobThreads', () => {
  it('stores several big files at once, each copy byte for byte with the hash of its content', async () => {
    const contents = Array.from({ length: 5 }, (_, i) => randomBytes((5 << 20) + i));
    contents.forEach((content, i) => writeFileSync(tmp.join(`f${i}`), content));
    const results = await Promise.all(contents.map((_, i) => threads.store(tmp.join(`f${i}`), tmp.join(`t${i}`))));
    results.forEach((result, i) => {
      expect(result).toEqual({ hash: sha256(contents[i]), size: contents[i].length });
      expect(readFileSync(tmp.join(`t${i}`)).equals(contents[i])).toBe(true);
    });
  });

  it('applies mode and times to a copy that matches, and leaves a copy that does not as it came', async () => {
    const content = randomBytes(2 << 20);
    writeFileSync(tmp.join('blob'), content);
    const expected = { hash: sha256(content), size: content.length };
    const meta = { mode: 0o604, mtimeMs: 1_700_000_000_000 };
    expect(await threads.copy(tmp.join('blob'), tmp.join('good'), expected, meta)).toEqual(expected);
    expect(statSync(tmp.join('good'))).toMatchObject({ mode: 0o100604, mtimeMs: meta.mtimeMs });

    const wrong = { hash: sha256(Buffer.from('something else')), size: content.length };
    expect(await threads.copy(tmp.join('blob'), tmp.join('bad'), wrong, meta)).toEqual(expected);
    expect(statSync(tmp.join('bad')).mtimeMs).not.toBe(meta.mtimeMs);
  });

  it("fails a job as node's fs would, code and path included, and the next jobs still run", async () => {
    writeFileSync(tmp.join('present'), randomBytes(1 << 20));
    const missing = await rejectionOf(threads.store(tmp.join('absent'), tmp.join('t1')), Error);
    expect(missing).toMatchObject({ code: 'ENOENT', path: tmp.join('absent') });
    expect(existsSync(tmp.join('t1'))).toBe(false);
    const taken = await rejectionOf(threads.store(tmp.join('present'), tmp.join('present')), Error);
    expect(taken).toMatchObject({ code: 'EEXIST' });
    expect((await threads.store(tmp.join('present'), tmp.join('t2'))).size).toBe(1 << 20);
  });

  it('lends a free thread batches of small copies: each verified before it is written, as on the main thread', async () => {
    const contents = Array.from({ length: 40 }, (_, i) => randomBytes(1000 + i));
    contents.forEach((content, i) => writeFileSync(tmp.join(`b${i}`), content));
    const meta = { mode: 0o604, mtimeMs: 1_700_000_000_000 };
    const jobs: SmallCopy[] = contents.map((content, i) => ({
      blob: tmp.join(`b${i}`),
      dest: tmp.join(`d${i}`),
      // The 7th is expected with other content: its copy must not be written.
      expected: { hash: i === 7 ? sha256(Buffer.from('other')) : sha256(content), size: content.length },
      meta,
    }));
    let next = 0;
    const answered: { batch: SmallCopy[]; outcomes: CopyOutcome[] }[] = [];
    threads.lendIdle(
      'copySmallBatch',
      () => jobs.slice(next, (next += 5)),
      (batch, outcomes) => void answered.push({ batch, outcomes }),
      { startThreads: true },
    );
    // Nothing is left to take once the last batch is out: returning waits for the answers.
    await vi.waitFor(() => expect(next).toBeGreaterThanOrEqual(jobs.length));
    await threads.returnLent();
    expect(answered.flatMap(({ batch }) => batch.map((job) => job.dest)).sort()).toEqual(jobs.map((job) => job.dest).sort());
    for (const { batch, outcomes } of answered) {
      const mismatchAt = batch.findIndex((job) => job.dest === tmp.join('d7'));
      // A batch stops at its first mismatch.
      expect(outcomes).toHaveLength(mismatchAt === -1 ? batch.length : mismatchAt + 1);
      outcomes.forEach((outcome, i) =>
        expect(outcome).toEqual({ ok: true, result: { hash: sha256(readFileSync(batch[i].blob)), size: batch[i].expected.size } }),
      );
    }
    expect(existsSync(tmp.join('d7'))).toBe(false);
    for (const [i, content] of contents.entries()) {
      if (i === 7 || !existsSync(tmp.join(`d${i}`))) continue;
      expect(readFileSync(tmp.join(`d${i}`)).equals(content)).toBe(true);
      expect(statSync(tmp.join(`d${i}`))).toMatchObject({ mode: 0o100604, mtimeMs: meta.mtimeMs });
    }
  });

  it("reports a failed copy with node's code and path and attempts nothing after it in its batch", async () => {
    writeFileSync(tmp.join('present'), 'x');
    const expected = { hash: sha256(Buffer.from('x')), size: 1 };
    const meta = { mode: 0o600 };
    const batch: SmallCopy[] = [
      { blob: tmp.join('absent'), dest: tmp.join('d0'), expected, meta },
      { blob: tmp.join('present'), dest: tmp.join('d1'), expected, meta },
    ];
    let taken = 0;
    const answers: CopyOutcome[][] = [];
    threads.lendIdle(
      'copySmallBatch',
      () => (taken++ === 0 ? batch : []),
      (_, outcomes) => void answers.push(outcomes),
      { startThreads: true },
    );
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    await threads.returnLent();
    expect(answers[0]).toEqual([{ ok: false, message: expect.any(String), code: 'ENOENT', path: tmp.join('absent') }]);
    expect(existsSync(tmp.join('d1'))).toBe(false);
  });

  it('lends a free thread batches of files to store: each copied byte for byte with its hash, stopping at the first failure', async () => {
    const contents = Array.from({ length: 12 }, (_, i) => randomBytes(3000 + i));
    contents.forEach((content, i) => writeFileSync(tmp.join(`s${i}`), content));
    // The 5th has gone since the walk: it fails with node's code and path, and what follows it in its batch is not attempted.
    const jobs: StoreJob[] = contents.map((_, i) => ({ file: tmp.join(i === 5 ? 'gone' : `s${i}`), tmp: tmp.join(`t${i}`) }));
    const batches = [jobs.slice(0, 4), jobs.slice(4, 8), jobs.slice(8)];
    const answered: { batch: StoreJob[]; outcomes: CopyOutcome[] }[] = [];
    let taken = 0;
    threads.lendIdle(
      'storeBatch',
      () => batches[taken++] ?? [],
      (batch, outcomes) => void answered.push({ batch, outcomes }),
      { startThreads: true },
    );
    await vi.waitFor(() => expect(answered).toHaveLength(3));
    await threads.returnLent();
    const byFirst = new Map(answered.map((answer) => [answer.batch[0].file, answer.outcomes]));
    const ok = (i: number) => ({ ok: true, result: { hash: sha256(contents[i]), size: contents[i].length } });
    expect(byFirst.get(tmp.join('s0'))).toEqual([ok(0), ok(1), ok(2), ok(3)]);
    expect(byFirst.get(tmp.join('s4'))).toEqual([ok(4), { ok: false, message: expect.any(String), code: 'ENOENT', path: tmp.join('gone') }]);
    expect(byFirst.get(tmp.join('s8'))).toEqual([ok(8), ok(9), ok(10), ok(11)]);
    for (const i of [0, 1, 2, 3, 4, 8, 9, 10, 11]) expect(readFileSync(tmp.join(`t${i}`)).equals(contents[i])).toBe(true);
    for (const i of [5, 6, 7]) expect(existsSync(tmp.join(`t${i}`))).toBe(false);
  });

  it('takes small copies only once no big job waits or runs on the thread', async () => {
    const single = new BlobThreads(1);
    try {
      const big = randomBytes(8 << 20);
      writeFileSync(tmp.join('big'), big);
      const stored = single.store(tmp.join('big'), tmp.join('big-copy'));
      const bigSizeAtTakes: number[] = [];
      single.lendIdle(
        'copySmallBatch',
        () => {
          bigSizeAtTakes.push(statSync(tmp.join('big-copy'), { throwIfNoEntry: false })?.size ?? -1);
          return [];
        },
        () => undefined,
        { startThreads: true },
      );
      await stored;
      await vi.waitFor(() => expect(bigSizeAtTakes.length).toBeGreaterThan(0));
      await single.returnLent();
      // The only thread was busy with the big file until it had written all of it.
      expect(bigSizeAtTakes).toEqual([big.length]);
    } finally {
      await single.close();
    }
  });

  it('an error from take or done ends the lending: nothing more is taken and returning rethrows it', async () => {
    writeFileSync(tmp.join('blob'), 'x');
    const job = (i: number): SmallCopy => ({
      blob: tmp.join('blob'),
      dest: tmp.join(`d${i}`),
      expected: { hash: sha256(Buffer.from('x')), size: 1 },
      meta: { mode: 0o600 },
    });
    let takes = 0;
    threads.lendIdle(
      'copySmallBatch',
      () => {
        takes += 1;
        if (takes === 2) throw new Error('refused by the check');
        return [job(takes)];
      },
      () => undefined,
      { startThreads: true },
    );
    await vi.waitFor(() => expect(takes).toBe(2));
    expect((await rejectionOf(threads.returnLent(), Error)).message).toBe('refused by the check');
    expect(takes).toBe(2);

    // One thread, so one batch out at a time: after the failed answer, nothing more is taken.
    const single = new BlobThreads(1);
    try {
      let taken = 0;
      single.lendIdle(
        'copySmallBatch',
        () => [job(10 + taken++)],
        () => {
          throw new Error('refused on answer');
        },
        { startThreads: true },
      );
      await vi.waitFor(() => expect(existsSync(tmp.join('d10'))).toBe(true));
      expect((await rejectionOf(single.returnLent(), Error)).message).toBe('refused on answer');
      expect(taken).toBe(1);
    } finally {
      await single.close();
    }
  });

  it('returned before any thread ran, nothing was taken', async () => {
    let takes = 0;
    threads.lendIdle(
      'copySmallBatch',
      () => {
        takes += 1;
        return [];
      },
      () => undefined,
    );
    await threads.returnLent();
    expect(takes).toBe(0);
  });

  it("a lent copy's answer fails as the same copy on this thread would: corrupt, missing, or node's error, the failed copy removed", () => {
    const expected = { hash: sha256(Buffer.from('x')), size: 1 };
    const job = (name: string): SmallCopy => ({ blob: tmp.join(`blob-${name}`), dest: tmp.join(name), expected, meta: { mode: 0o600 } });
    expect(() => checkLentCopies([job('a')], [{ ok: true, result: expected }])).not.toThrow();

    writeFileSync(tmp.join('wrong'), 'y');
    const wrong = thrownBy(() =>
      checkLentCopies(
        [job('a'), job('wrong')],
        [
          { ok: true, result: expected },
          { ok: true, result: { hash: sha256(Buffer.from('y')), size: 1 } },
        ],
      ),
    );
    expect(wrong).toBeInstanceOf(RecoveryError);
    expect(wrong).toMatchObject({ code: 'corrupt', message: expect.stringContaining(`blob ${expected.hash.slice(0, 12)} is corrupt`) });
    expect(existsSync(tmp.join('wrong'))).toBe(false);

    const gone = thrownBy(() => checkLentCopies([job('gone')], [{ ok: false, message: 'ENOENT', code: 'ENOENT', path: tmp.join('blob-gone') }]));
    expect(gone).toMatchObject({ code: 'corrupt', message: `blob ${expected.hash.slice(0, 12)} is missing from the store` });

    writeFileSync(tmp.join('full'), '');
    const full = thrownBy(() =>
      checkLentCopies([job('full')], [{ ok: false, message: 'ENOSPC: no space left on device', code: 'ENOSPC', path: tmp.join('full') }]),
    );
    expect(full).toMatchObject({ code: 'ENOSPC', path: tmp.join('full') });
    expect(existsSync(tmp.join('full'))).toBe(false);

    // A batch answered short (its thread stopped early) is never taken as done.
    expect(thrownBy(() => checkLentCopies([job('a'), job('b')], [{ ok: true, result: expected }]))).toBeInstanceOf(Error);
  });

  it('refuses jobs once closed', async () => {
    await threads.close();
    await rejectionOf(threads.store(tmp.join('any'), tmp.join('t')), Error);
  });
});
