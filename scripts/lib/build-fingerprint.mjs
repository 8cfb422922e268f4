// A cheap fingerprint of what a build depends on (paths, sizes, mtimes), so `npm start`
// rebuilds after a change and skips the build otherwise.
import { createHash } from 'node:crypto';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** What the web app's build reads. */
export const WEB_BUILD_INPUTS = ['app', 'components', 'lib', 'server', 'public', 'proxy.ts', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json', 'app/globals.css'];

function walk(root, path, hash) {
  const full = join(root, path);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(full).sort()) {
      if (entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
      walk(root, join(path, entry), hash);
    }
  } else {
    hash.update(`${path}:${stat.size}:${stat.mtimeMs}\n`);
  }
}

/** Fingerprints `inputs` (files or folders, relative to root); the web app's inputs by default. */
export function buildFingerprint(root, inputs = WEB_BUILD_INPUTS) {
  const hash = createHash('sha256');
  for (const input of inputs) walk(root, input, hash);
  return hash.digest('hex');
}
