import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../server/test-support/temp-dir';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { makeDataPrivate } from './private-files.mjs';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('private data files', () => {
  let dir: TempDir;

  afterEach(() => dir?.remove());

  it('tightens a data directory an earlier start left readable, and the database kept elsewhere', () => {
    dir = makeTempDir('vigil-private-');
    const data = dir.join('var');
    mkdirSync(join(data, 'spool'), { recursive: true, mode: 0o755 });
    chmodSync(data, 0o755);
    const files = ['vigil.db', 'vigil.db-wal', 'vigil.db-shm', 'secret.key', 'spool/000001.jsonl'].map((name) => join(data, name));
    const hook = join(data, 'restore-hook.sh');
    const elsewhere = dir.join('db.sqlite');
    for (const file of [...files, hook, elsewhere, `${elsewhere}-wal`]) writeFileSync(file, 'x', { mode: 0o644 });
    chmodSync(hook, 0o755);

    makeDataPrivate({ dataDir: data, sqlitePath: elsewhere });

    expect(modeOf(data).toString(8)).toBe('700');
    expect(modeOf(join(data, 'spool')).toString(8)).toBe('700');
    for (const file of [...files, elsewhere, `${elsewhere}-wal`]) expect(modeOf(file).toString(8), file).toBe('600');
    expect(modeOf(hook).toString(8)).toBe('700');
  });

  it('makes every file that the launched processes create owner-only', () => {
    dir = makeTempDir('vigil-private-');
    const created = dir.join('vigil.db');
    // As `npm start` does: the launcher sets the umask, then starts its children.
    const launcher = `
      import { spawnSync } from 'node:child_process';
      const { keepNewFilesPrivate } = await import(${JSON.stringify(pathToFileURL(join(__dirname, 'private-files.mjs')).href)});
      process.umask(0o022);
      keepNewFilesPrivate();
      const child = spawnSync(process.execPath, ['-e', "require('node:fs').writeFileSync(process.argv[1], 'x'); require('node:fs').mkdirSync(process.argv[1] + '.d')", ${JSON.stringify(created)}]);
      process.exit(child.status ?? 1);
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', launcher], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(modeOf(created).toString(8)).toBe('600');
    expect(modeOf(`${created}.d`).toString(8)).toBe('700');
  });
});
