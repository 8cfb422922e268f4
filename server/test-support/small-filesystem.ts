import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * A tmpfs of `size` mounted at `dir`, for tests of a file system that fills. The tests run as
 * root (README, "Running the tests"); mount fails loudly otherwise.
 */
export function mountSmallFilesystem(dir: string, size: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  return dir;
}

export function unmountSmallFilesystem(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'pipe' });
}
