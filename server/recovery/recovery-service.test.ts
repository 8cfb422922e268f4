import {
  chmodSync,
  chownSync,
  readFileSync,
  existsSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, rejectionOf, type TempDir } from '../test-support';
import { recoveryHarness, readTree, writeTree, type ServiceHarness } from './recovery-test-kit';
import { RecoveryError } from './recovery-error';

let tmp: TempDir;
let app: string;
let h: ServiceHarness;

const original = {
  'config.yml': 'port: 8080\n',
  'bin/run.sh': '#!/bin/sh\necho run\n',
  'data/big.bin': 'x'.repeat(3 << 20),
  'data/copy.txt': 'same',
  'data/copy2.txt': 'same',
  'logs/app.log': 'noise',
};

beforeEach(() => {
  tmp = makeTempDir('vigil-recovery-');
  app = tmp.join('app');
  writeTree(app, original);
  chmodSync(path.join(app, 'bin/run.sh'), 0o755);
  symlinkSync('config.yml', path.join(app, 'current.yml'));
  h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: ['logs/**'] }] });
});
afterEach(() => tmp.remove());

const restore = (ref: string, extra: Partial<Parameters<typeof h.service.restore>[0]> = {}) =>
  h.service.restore({ ref, mirror: false, dryRun: false, actor: 'alice', reason: 'test', ...extra });

describe('snapshots', () => {
  it('stores each distinct content once and writes the manifest hash into the audit trail', async () => {
    const header = await h.service.create({ name: 'first', tags: ['golden'], actor: 'alice' });
    expect(header).toMatchObject({
      name: 'first',
      tags: ['golden'],
      files: 5,
      bytes: (3 << 20) + original['config.yml'].length + original['bin/run.sh'].length + 8,
    });
    const store = await h.service.store();
    const blobs = readdirSync(store.blobsDir).flatMap((d) => readdirSync(path.join(store.blobsDir, d)));
    expect(blobs).toHaveLength(4);
    expect(h.audit.at(-1)).toMatchObject({ type: 'snapshot.created', details: { manifestHash: header.manifestHash } });
    const again = await h.service.create({ name: 'second', tags: ['manual'], actor: 'alice' });
    expect(again.newBytes).toBe(0);
    expect(again.manifestHash).toBe(header.manifestHash);
  });

  it('rejects names with separators and duplicate names, and a missing source', async () => {
    expect(await rejectionOf(h.service.create({ name: '../evil', tags: [], actor: 'a' }), RecoveryError)).toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('path separators'),
    });
    await h.service.create({ name: 'one', tags: [], actor: 'a' });
    expect(await rejectionOf(h.service.create({ name: 'one', tags: [], actor: 'a' }), RecoveryError)).toMatchObject({ code: 'exists' });
    h.setConfig({ sources: [{ name: 'gone', path: tmp.join('nope'), exclude: [] }] });
    expect(await rejectionOf(h.service.create({ name: 'two', tags: [], actor: 'a' }), RecoveryError)).toMatchObject({
      code: 'source_missing',
      message: expect.stringContaining('source gone'),
    });
    expect(h.audit.filter((e) => e.type === 'snapshot.create_failed')).toHaveLength(3);
  });

  it('notices a change hidden behind a restored mtime (ctime is part of the cache key)', async () => {
    await h.service.create({ name: 'a', tags: [], actor: 'a' });
    const file = path.join(app, 'config.yml');
    const { mtime } = statSync(file);
    writeFileSync(file, 'port: 6060\n');
    const { utimesSync } = await import('node:fs');
    utimesSync(file, mtime, mtime);
    const b = await h.service.create({ name: 'b', tags: [], actor: 'a' });
    const diff = await h.service.diff({ ref: 'a', against: 'b' });
    expect(diff).toEqual([expect.objectContaining({ path: 'app/config.yml', change: 'changed' })]);
    expect(b.newBytes).toBe(11);
  });

  it('many small files, stored here and on lent blob threads, each become the blob of their content, once', async () => {
    // Enough small files that blob threads take batches of them beside this thread, and a big one for a thread of its own.
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`data/many/d${i % 7}/f${i}.txt`, `file ${i} `.repeat(1 + (i % 50))]));
    writeTree(app, { ...many, 'data/many/twin-a.txt': 'twice', 'data/many/twin-b.txt': 'twice' });
    const header = await h.service.create({ name: 's', tags: [], actor: 'a' });
    expect(header.files).toBe(5 + 602);
    const store = await h.service.store();
    const blobs = readdirSync(store.blobsDir).flatMap((d) => readdirSync(path.join(store.blobsDir, d)));
    // The original tree's 4 distinct contents, 600 more and one for both twins.
    expect(blobs).toHaveLength(4 + 600 + 1);
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
    expect((await h.service.verify({ ref: 's', actor: 'a' })).summary.ok).toBe(true);
    await restore('s', { targetDir: tmp.join('out') });
    const { 'logs/app.log': _excluded, ...expected } = readTree(app);
    expect(readTree(tmp.join('out', 'app'))).toEqual(expected);
  });

  it('a file gone between the walk and its read fails the snapshot, whichever thread reads it, and leaves nothing behind', async () => {
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`data/many/f${i}.txt`, `file ${i}`]));
    writeTree(app, many);
    const store = await h.service.store();
    // The second half, removed once the walk has listed it: the first of them is read here or on a lent thread.
    const gone = Array.from({ length: 300 }, (_, i) => path.join(app, `data/many/f${300 + i}.txt`));
    const late = recoveryHarness(tmp.join('data'), h.config, {
      onProgress: (update) => {
        if (update.phase === 'hash') for (const file of gone) rmSync(file, { force: true });
      },
    });
    const failure = await rejectionOf(late.service.create({ name: 'late', tags: [], actor: 'a' }), RecoveryError);
    expect(failure).toMatchObject({
      code: 'source_missing',
      message: expect.stringMatching(/^source app: data\/many\/f[3-5]\d\d\.txt disappeared since the snapshot listed it/),
    });
    expect((await store.list()).map((s) => s.name)).toEqual([]);
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
    expect(late.audit.at(-1)).toMatchObject({ type: 'snapshot.create_failed' });
    // Nothing of the failed snapshot stays in the store: the next one stores every blob again.
    const next = await late.service.create({ name: 'next', tags: [], actor: 'a' });
    expect(next.files).toBe(5 + 300);
  });

  it('a file swapped for a symlink or a FIFO after the walk is not read through: the snapshot fails naming it, and keeps nothing', async () => {
    const secret = tmp.join('secret.txt');
    writeFileSync(secret, 'root-only secret');
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`data/many/f${i}.txt`, `file ${i}`]));
    writeTree(app, many);
    const store = await h.service.store();
    for (const swap of ['symlink', 'fifo'] as const) {
      // Every file from the 300th on, swapped once the walk has listed it as a regular file.
      let swapped = false;
      const late = recoveryHarness(tmp.join('data'), h.config, {
        onProgress: (update) => {
          if (update.phase !== 'hash' || swapped) return;
          swapped = true;
          for (let i = 300; i < 600; i++) {
            const file = path.join(app, `data/many/f${i}.txt`);
            rmSync(file);
            if (swap === 'symlink') symlinkSync(secret, file);
            else execFileSync('mkfifo', [file]);
          }
        },
      });
      const failure = await rejectionOf(late.service.create({ name: `late-${swap}`, tags: [], actor: 'a' }), RecoveryError);
      expect(failure).toMatchObject({
        code: 'source_missing',
        message: expect.stringMatching(/^source app: data\/many\/f[3-5]\d\d\.txt is no longer a regular file since the snapshot listed it/),
      });
      expect((await store.list()).map((s) => s.name)).toEqual([]);
      expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
      const blobs = readdirSync(store.blobsDir).flatMap((d) => readdirSync(path.join(store.blobsDir, d)).map((b) => path.join(store.blobsDir, d, b)));
      expect(blobs.filter((blob) => readFileSync(blob, 'utf8') === 'root-only secret')).toEqual([]);
      for (let i = 300; i < 600; i++) rmSync(path.join(app, `data/many/f${i}.txt`));
      writeTree(app, many);
    }
  });

  it('verify reports each corrupt or missing file by path', async () => {
    await h.service.create({ name: 'snap', tags: [], actor: 'a' });
    expect((await h.service.verify({ ref: 'snap', actor: 'a' })).summary.ok).toBe(true);
    const store = await h.service.store();
    const manifest = await store.readManifest((await store.find('snap')).manifestHash);
    const byPath = (p: string) => manifest.entries.find((e) => e.path === p)!;
    const big = byPath('app/data/big.bin');
    const copy = byPath('app/data/copy.txt');
    appendFileSync(store.blobPath(big.type === 'file' ? big.hash : ''), 'x');
    rmSync(store.blobPath(copy.type === 'file' ? copy.hash : ''));
    const { summary } = await h.service.verify({ ref: 'snap', actor: 'a' });
    expect(summary.ok).toBe(false);
    expect(summary.problems.map((p) => [p.path, p.problem])).toEqual([
      ['app/data/big.bin', 'corrupt'],
      ['app/data/copy.txt', 'missing'],
      ['app/data/copy2.txt', 'missing'],
    ]);
    expect(h.audit.at(-1)).toMatchObject({ type: 'snapshot.corrupt', severity: 'high' });
    expect((await store.find('snap')).lastVerification?.ok).toBe(false);
  });
});

describe('restore', () => {
  it('puts back changed, removed and re-moded files, keeps what is unchanged, and --mirror removes extras', async () => {
    await h.service.create({ name: 'golden', tags: ['golden'], actor: 'a' });
    const before = readTree(app);
    writeFileSync(path.join(app, 'config.yml'), 'port: 1\n');
    rmSync(path.join(app, 'data'), { recursive: true });
    chmodSync(path.join(app, 'bin/run.sh'), 0o600);
    writeFileSync(path.join(app, 'extra.txt'), 'new');
    writeFileSync(path.join(app, 'logs/app.log'), 'excluded: must survive mirror');
    const dry = await restore('golden', { dryRun: true, mirror: true });
    expect(dry.outcome).toBe('dry-run');
    expect(dry.changes).toEqual([
      { path: 'app/bin/run.sh', change: 'mode' },
      { path: 'app/config.yml', change: 'modify' },
      { path: 'app/data', change: 'add' },
      { path: 'app/data/big.bin', change: 'add' },
      { path: 'app/data/copy.txt', change: 'add' },
      { path: 'app/data/copy2.txt', change: 'add' },
      { path: 'app/extra.txt', change: 'remove' },
    ]);
    expect(readTree(app)['config.yml']).toBe('port: 1\n');
    const result = await restore('golden', { mirror: true });
    expect(result.outcome).toBe('restored');
    expect(readTree(app)).toEqual({ ...before, 'logs/app.log': 'excluded: must survive mirror' });
    expect(statSync(path.join(app, 'bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(readdirSync(app).some((n) => n.startsWith('.vigil-restore-'))).toBe(false);
    expect(h.audit.at(-1)).toMatchObject({ type: 'snapshot.restored', reason: 'test', details: { outcome: 'restored', filesWritten: 4, removed: 1 } });
  });

  it('restores ownership when running as root, and a single-file source in place', async () => {
    expect(process.getuid?.(), 'ownership is restored only by root; CI runs as root').toBe(0);
    const single = tmp.join('single.conf');
    writeFileSync(single, 'single v1');
    h.setConfig({ sources: [...h.config.sources, { name: 'single', path: single, exclude: [] }] });
    chownSync(path.join(app, 'config.yml'), 1234, 2345);
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    chownSync(path.join(app, 'config.yml'), 0, 0);
    writeFileSync(single, 'single v2');
    const result = await restore('s');
    expect(result.changes).toEqual([
      { path: 'app/config.yml', change: 'mode' },
      { path: 'single', change: 'modify' },
    ]);
    expect(statSync(path.join(app, 'config.yml'))).toMatchObject({ uid: 1234, gid: 2345 });
    expect(readFileSync(single, 'utf8')).toBe('single v1');
  });

  it('restores into another directory with --target', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    await restore('s', { targetDir: tmp.join('elsewhere') });
    const { 'logs/app.log': excluded, ...expected } = readTree(app);
    expect(excluded).toBe('noise');
    expect(readTree(tmp.join('elsewhere', 'app'))).toEqual(expected);
  });

  it('a source configured as a symlink is restored into the directory it points to, the link kept', async () => {
    writeTree(tmp.join('releases/v1'), { 'app.conf': 'v1' });
    symlinkSync('releases/v1', tmp.join('current'));
    h.setConfig({ sources: [{ name: 'current', path: tmp.join('current'), exclude: [] }] });
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    writeFileSync(tmp.join('releases/v1/app.conf'), 'broken');
    expect((await restore('s')).outcome).toBe('restored');
    expect(readFileSync(tmp.join('releases/v1/app.conf'), 'utf8')).toBe('v1');
    expect(readTree(tmp.path)['current']).toBe('-> releases/v1');
  });

  it('aborts on a corrupt blob before touching the target', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const store = await h.service.store();
    const manifest = await store.readManifest((await store.find('s')).manifestHash);
    const big = manifest.entries.find((e) => e.path === 'app/data/big.bin')!;
    // Same length, one byte different: only a hash can tell.
    const blob = store.blobPath(big.type === 'file' ? big.hash : '');
    writeFileSync(blob, 'y' + 'x'.repeat((3 << 20) - 1));
    writeFileSync(path.join(app, 'data/big.bin'), 'changed');
    writeFileSync(path.join(app, 'config.yml'), 'changed too');
    const before = readTree(app);
    const error = await rejectionOf(restore('s'), RecoveryError);
    expect(error).toBeInstanceOf(RecoveryError);
    expect(error).toMatchObject({ code: 'corrupt', message: expect.stringContaining('nothing was changed') });
    expect(readTree(app)).toEqual(before);
    expect(readdirSync(app).some((n) => n.startsWith('.vigil-restore-'))).toBe(false);
  });

  it('a corrupt or missing blob among many small files, staged here and on lent threads, aborts before touching the target', async () => {
    // Enough small files that blob threads take batches of them beside this thread.
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`data/many/f${i}.txt`, `file ${i}`]));
    writeTree(app, many);
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const store = await h.service.store();
    const manifest = await store.readManifest((await store.find('s')).manifestHash);
    const blobOf = (rel: string) => {
      const entry = manifest.entries.find((e) => e.path === `app/${rel}`);
      return store.blobPath(entry?.type === 'file' ? entry.hash : '');
    };
    rmSync(path.join(app, 'data/many'), { recursive: true });
    const before = readTree(app);

    writeFileSync(blobOf('data/many/f599.txt'), 'file 598');
    const corrupt = await rejectionOf(restore('s'), RecoveryError);
    expect(corrupt).toMatchObject({ code: 'corrupt', message: expect.stringMatching(/blob [0-9a-f]{12} is corrupt.*nothing was changed/) });
    expect(readTree(app)).toEqual(before);
    expect(readdirSync(app).some((n) => n.startsWith('.vigil-restore-'))).toBe(false);

    rmSync(blobOf('data/many/f599.txt'));
    const missing = await rejectionOf(restore('s'), RecoveryError);
    expect(missing).toMatchObject({ code: 'corrupt', message: expect.stringMatching(/missing from the store.*nothing was changed/) });
    expect(readTree(app)).toEqual(before);
    expect(readdirSync(app).some((n) => n.startsWith('.vigil-restore-'))).toBe(false);
  });

  it('rolls back to the state before the restore when the health gate fails', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    writeFileSync(path.join(app, 'config.yml'), 'port: 9999\n');
    writeFileSync(path.join(app, 'new.txt'), 'added after the snapshot');
    const before = readTree(app);
    h.setConfig({ healthGate: { checks: [{ tcp: '127.0.0.1:1' }], timeoutSeconds: 0.3 } });
    const result = await restore('s', { mirror: true });
    expect(result.outcome).toBe('rolled-back');
    expect(result.rollbackReason).toMatch(/health gate failed \(tcp 127\.0\.0\.1:1/);
    expect(readTree(app)).toEqual(before);
    expect(h.audit.at(-1)).toMatchObject({ type: 'snapshot.restore_rolled_back', severity: 'high' });
  });

  it('a missing hook program is an error before anything changes', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    writeFileSync(path.join(app, 'config.yml'), 'edited');
    h.setConfig({ hooks: { stop: ['/nonexistent/stop-app'], timeoutSeconds: 5 } });
    expect(await rejectionOf(restore('s'), RecoveryError)).toMatchObject({ code: 'hook_failed', message: expect.stringContaining('/nonexistent/stop-app') });
    expect(readTree(app)['config.yml']).toBe('edited');
  });

  it('a failing stop hook leaves the target as it was; a failing restart hook rolls back', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    writeFileSync(path.join(app, 'config.yml'), 'edited');
    h.setConfig({ hooks: { stop: ['false'], timeoutSeconds: 5 } });
    expect(await rejectionOf(restore('s'), RecoveryError)).toMatchObject({
      code: 'hook_failed',
      message: expect.stringContaining('stop hook (false) exited with 1'),
    });
    expect(readTree(app)['config.yml']).toBe('edited');
    h.setConfig({ hooks: { restart: ['sleep', '5'], timeoutSeconds: 0.2 } });
    const result = await restore('s');
    expect(result.outcome).toBe('rolled-back');
    expect(result.rollbackReason).toMatch(/restart hook \(sleep\) was killed \(SIGTERM\)/);
    expect(readTree(app)['config.yml']).toBe('edited');
  });

  it('refuses manifest entries that escape the target: .., absolute and outward symlinks', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const store = await h.service.store();
    const header = await store.find('s');
    const manifest = await store.readManifest(header.manifestHash);
    for (const evil of [
      { type: 'dir' as const, path: 'app/../../etc', mode: 0o755, mtimeMs: 0 },
      { type: 'symlink' as const, path: 'app/out', mode: 0o777, mtimeMs: 0, target: '../../../etc/passwd' },
      { type: 'symlink' as const, path: 'app/abs', mode: 0o777, mtimeMs: 0, target: '/etc/passwd' },
    ]) {
      const manifestHash = await store.writeManifest({ ...manifest, entries: [...manifest.entries, evil] });
      await store.writeHeader({ ...header, id: `${header.id.slice(0, 10)}zz`, name: 'evil', manifestHash });
      writeFileSync(path.join(app, 'config.yml'), 'edited');
      expect(await rejectionOf(restore('evil'), RecoveryError)).toMatchObject({ code: 'unsafe_path' });
      expect(readTree(app)['config.yml']).toBe('edited');
    }
  });

  it('replaces a directory that became a symlink pointing outside, without writing through it', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const outside = tmp.join('outside');
    writeTree(outside, { 'big.bin': 'outside content' });
    rmSync(path.join(app, 'data'), { recursive: true });
    symlinkSync(outside, path.join(app, 'data'));
    await restore('s');
    expect(readTree(outside)).toEqual({ 'big.bin': 'outside content' });
    expect(statSync(path.join(app, 'data/big.bin')).size).toBe(3 << 20);
  });

  it('a full disk while staging leaves the target untouched', async () => {
    // A 1 MiB tmpfs cannot take the 3 MiB file: ENOSPC in the middle of staging.
    const small = tmp.join('small');
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(small);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
    } catch {
      throw new Error('this test mounts a 1 MiB tmpfs and needs root (CI runs as root)');
    }
    try {
      h.setConfig({ sources: [{ name: 'app', path: app, exclude: ['logs/**'] }] });
      await h.service.create({ name: 's', tags: [], actor: 'a' });
      writeTree(path.join(small, 'app'), { 'config.yml': 'on the small disk' });
      const before = readTree(small);
      expect(await rejectionOf(restore('s', { targetDir: small }), RecoveryError)).toMatchObject({
        code: 'no_space',
        message: expect.stringContaining('no space left'),
      });
      expect(readTree(small)).toEqual(before);
    } finally {
      execFileSync('umount', [small]);
    }
  });

  it('a truncated blob is reported as corrupt', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const store = await h.service.store();
    const manifest = await store.readManifest((await store.find('s')).manifestHash);
    const big = manifest.entries.find((e) => e.path === 'app/data/big.bin')!;
    truncateSync(store.blobPath(big.type === 'file' ? big.hash : ''), 100);
    rmSync(path.join(app, 'data/big.bin'));
    expect(await rejectionOf(restore('s'), RecoveryError)).toMatchObject({ code: 'corrupt' });
    expect(existsSync(path.join(app, 'data/big.bin'))).toBe(false);
  });
});

describe('prune', () => {
  it('keeps golden snapshots and the newest N, then sweeps unreferenced blobs', async () => {
    h.setConfig({ retention: { keepLast: 1, daily: 0, weekly: 0 } });
    await h.service.create({ name: 'g', tags: ['golden'], actor: 'a' });
    writeFileSync(path.join(app, 'only-in-old.txt'), 'old content');
    await h.service.create({ name: 'old', tags: [], actor: 'a' });
    rmSync(path.join(app, 'only-in-old.txt'));
    await h.service.create({ name: 'new', tags: [], actor: 'a' });
    const dry = await h.service.prune({ dryRun: true, actor: 'a' });
    expect(dry).toMatchObject({ removedSnapshots: ['old'], removedBlobs: 1, freedBytes: 11 });
    expect((await h.service.overview()).snapshots.map((s) => s.name)).toContain('old');
    await h.service.prune({ dryRun: false, actor: 'a' });
    expect((await h.service.overview()).snapshots.map((s) => s.name).sort()).toEqual(['g', 'new']);
    expect((await h.service.verify({ ref: 'g', actor: 'a' })).summary.ok).toBe(true);
    expect(h.audit.some((e) => e.type === 'snapshot.pruned')).toBe(true);
  });
});
