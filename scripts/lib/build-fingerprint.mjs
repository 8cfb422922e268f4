// A cheap fingerprint of what a build depends on (paths, sizes, mtimes), so `npm start`
// rebuilds after a change and skips the build otherwise.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the web app's build reads. */
export const WEB_BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'server',
  'public',
  'proxy.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
  'app/globals.css',
];

function walkFolder(root, path, hash) {
  // Entries with their types: one stat per file instead of two per entry, since `vigil` walks this on every run.
  const entries = readdirSync(join(root, path), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.endsWith('.test.ts')) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) walkFolder(root, child, hash);
    else hashFile(root, child, hash);
  }
}

function hashFile(root, path, hash) {
  const stat = statSync(join(root, path));
  hash.update(`${path}:${stat.size}:${stat.mtimeMs}\n`);
}

function walk(root, path, hash) {
  const stat = statSync(join(root, path), { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) walkFolder(root, path, hash);
  else hashFile(root, path, hash);
}

/** Fingerprints `inputs` (files or folders, relative to root); the web app's inputs by default. */
export function buildFingerprint(root, inputs = WEB_BUILD_INPUTS) {
  const hash = createHash('sha256');
  for (const input of inputs) walk(root, input, hash);
  return hash.digest('hex');
}
