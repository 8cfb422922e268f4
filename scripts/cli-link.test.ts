// `npx vigil` runs node_modules/.bin/vigil: the link is made, kept, and repaired when it points elsewhere.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../server/test-support';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { linkCli } from './lib/cli-link.mjs';

let dir: TempDir;
afterEach(() => dir?.remove());

describe('linkCli', () => {
  it('links node_modules/.bin/vigil to scripts/vigil.mjs, once', () => {
    dir = makeTempDir('vigil-cli-link-');
    mkdirSync(join(dir.path, 'scripts'));
    writeFileSync(join(dir.path, 'scripts', 'vigil.mjs'), "process.stdout.write('ran')\n");
    expect(linkCli(dir.path)).toBe(true);
    const link = join(dir.path, 'node_modules', '.bin', 'vigil');
    expect(readlinkSync(link)).toBe(join('..', '..', 'scripts', 'vigil.mjs'));
    expect(spawnSync(process.execPath, [link], { encoding: 'utf8' }).stdout).toBe('ran');
    expect(linkCli(dir.path)).toBe(false);
  });

  it('replaces a link that points elsewhere', () => {
    dir = makeTempDir('vigil-cli-link-');
    mkdirSync(join(dir.path, 'node_modules', '.bin'), { recursive: true });
    symlinkSync('/usr/bin/false', join(dir.path, 'node_modules', '.bin', 'vigil'));
    expect(linkCli(dir.path)).toBe(true);
    expect(readlinkSync(join(dir.path, 'node_modules', '.bin', 'vigil'))).toBe(join('..', '..', 'scripts', 'vigil.mjs'));
  });
});
