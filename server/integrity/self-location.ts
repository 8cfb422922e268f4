import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout or install Vigil runs from: the nearest folder above this code with a
 * package.json. Searched rather than counted, because the same code runs from its source
 * (server/integrity/) and compiled into dist/.
 */
export function vigilRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
