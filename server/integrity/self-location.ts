import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout or install Vigil runs from: two levels above this file (server/integrity/). */
export function vigilRepoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}
