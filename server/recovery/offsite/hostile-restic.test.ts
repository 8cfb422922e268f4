import { chmodSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, rejectionOf, type TempDir } from '../../test-support';
import { repoConfig } from '../../test-support/restic';
import { RecoveryError } from '../recovery-error';
import { recoveryHarness, writeTree, type ServiceHarness } from '../recovery-test-kit';

/** A restic that answers what it likes: Vigil must turn its output into a named failure, never a crash or unbounded memory. */
let tmp: TempDir;
let h: ServiceHarness;
beforeEach(() => {
  tmp = makeTempDir('vigil-hostile-restic-');
  writeTree(tmp.join('app'), { 'a.txt': 'alpha\n' });
  writeFileSync(tmp.join('restic.pw'), 'pw\n');
  const repo = repoConfig({ name: 'remote', repository: tmp.join('restic-repo'), passwordFile: tmp.join('restic.pw') });
  h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: tmp.join('app'), exclude: [] }], offsite: [repo] });
});
afterEach(() => tmp.remove());

function fakeRestic(script: string): void {
  const file = tmp.join('restic');
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  h.setConfig({ resticBinary: file });
}

describe('a restic that prints hostile output', () => {
  it('a listing that is not JSON is an off-site failure naming the repository, not a SyntaxError', async () => {
    fakeRestic(`echo 'not json {"id":'`);
    expect(await rejectionOf(h.service.offsite.list({ from: 'remote' }), RecoveryError)).toMatchObject({
      code: 'offsite_failed',
      message: expect.stringMatching(/remote.*not JSON/),
    });
  });

  it('output past the limit stops restic and fails, instead of growing the worker without bound', async () => {
    // 48 MiB without a newline: a hostile or broken restic (or the program configured in its place).
    fakeRestic(`head -c ${48 * 1024 * 1024} /dev/zero | tr '\\0' x`);
    expect(await rejectionOf(h.service.offsite.list({ from: 'remote' }), RecoveryError)).toMatchObject({
      code: 'offsite_failed',
      message: expect.stringMatching(/more than 32 MiB/),
    });
  });
});
