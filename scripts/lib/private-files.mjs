// Vigil's data (the SQLite database and its -wal/-shm, secret.key, the audit spool, signing
// keys) is for its own user alone. New files are made private by the umask; files an earlier
// version or another umask left readable are tightened at start.
import { chmodSync, existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Owner-only: group and others lose every bit, the owner keeps theirs (executables stay so). */
export const PRIVATE_UMASK = 0o077;

/** New files and directories of this process and every process it starts are owner-only. */
export function keepNewFilesPrivate() {
  process.umask(PRIVATE_UMASK);
}

function tighten(path) {
  const stat = lstatSync(path);
  // A symlink's own mode means nothing, and its target may not be Vigil's to change.
  if (stat.isSymbolicLink()) return;
  if ((stat.mode & PRIVATE_UMASK) !== 0) chmodSync(path, stat.mode & 0o700);
  if (stat.isDirectory()) for (const entry of readdirSync(path)) tighten(join(path, entry));
}

/**
 * Makes the data directory and everything in it owner-only, and the SQLite database (which
 * DATABASE_URL may put elsewhere) with its -wal and -shm.
 */
export function makeDataPrivate({ dataDir, sqlitePath = null }) {
  if (existsSync(dataDir)) tighten(dataDir);
  if (!sqlitePath) return;
  for (const path of [sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-shm`, `${sqlitePath}-journal`]) if (existsSync(path)) tighten(path);
}
