import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  path: string;
  /** Joins segments onto the directory. */
  join(...segments: string[]): string;
  remove(): void;
}

/** A fresh directory under the OS temp dir; `remove()` deletes it and everything in it. */
export function makeTempDir(prefix = 'vigil-test-'): TempDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    path: dir,
    join: (...segments) => path.join(dir, ...segments),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The SQLite URL the worker would use for a data dir, spelled out for tests that need it before start. */
export function sqliteUrlIn(dir: string, file = 'vigil.db'): string {
  return `file:${path.join(dir, file)}`;
}

/** Writes `{ 'relative/path': content }` under root, creating directories as needed. */
export function writeTreeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}
