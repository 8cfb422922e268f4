// `npx vigil` finds the CLI as node_modules/.bin/vigil. package.json declares no "bin" for it on
// purpose: npm treats a project's own bin as a package to install into its npx cache, which
// loads the whole dependency tree first (over a second on every run), while a link in
// node_modules/.bin is run straight away.
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const TARGET = join('..', '..', 'scripts', 'vigil.mjs');

/** Makes node_modules/.bin/vigil point at scripts/vigil.mjs; true when it had to be (re)made. */
export function linkCli(root) {
  const bin = join(root, 'node_modules', '.bin');
  const link = join(bin, 'vigil');
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === TARGET) return false;
    rmSync(link, { force: true });
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  mkdirSync(bin, { recursive: true });
  symlinkSync(TARGET, link);
  return true;
}
