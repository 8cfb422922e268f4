import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, spawnNode, type RunningProcess, type TempDir } from '../../test-support';
import { readSecretRef, readSecretRefOrNull, SECRET_FILE_LIMIT_BYTES } from './secret-refs';

let tmp: TempDir;
let child: RunningProcess | null = null;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => {
  if (child?.child.exitCode === null) child.kill('SIGKILL');
  child = null;
  tmp.remove();
});

describe('secret files named by a channel', () => {
  it('reads a regular file, and one behind a symlink (how Kubernetes mounts secrets), without its trailing newline', () => {
    writeFileSync(path.join(tmp.path, 'token'), 'abc123\n');
    symlinkSync(path.join(tmp.path, 'token'), path.join(tmp.path, 'linked'));
    expect(readSecretRef({ file: path.join(tmp.path, 'token') })).toBe('abc123');
    expect(readSecretRef({ file: path.join(tmp.path, 'linked') })).toBe('abc123');
  });

  it('a FIFO in place of the file fails that delivery instead of blocking the worker', async () => {
    const fifo = path.join(tmp.path, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // In a process of its own: a read that blocks would stop this test's event loop too.
    child = spawnNode([
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { readSecretRefOrNull } = await import('./server/notify/channels/secret-refs.ts');
       process.stdout.write(JSON.stringify(readSecretRefOrNull({ file: ${JSON.stringify(fifo)} })));`,
    ]);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.stdout()).toBe('null');
  });

  it('a directory, a huge file and an empty file are no secret; the message names the file', () => {
    mkdirSync(path.join(tmp.path, 'dir'));
    writeFileSync(path.join(tmp.path, 'huge'), Buffer.alloc(SECRET_FILE_LIMIT_BYTES + 1, 'a'));
    writeFileSync(path.join(tmp.path, 'empty'), '');
    for (const name of ['dir', 'huge', 'empty', 'absent']) expect(readSecretRefOrNull({ file: path.join(tmp.path, name) })).toBeNull();
    expect(() => readSecretRef({ file: path.join(tmp.path, 'huge') })).toThrow(`the secret file ${path.join(tmp.path, 'huge')} is missing, empty`);
  });
});
