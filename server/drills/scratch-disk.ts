import { execFile } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Small enough to fill in a blink, large enough for the demo service's 8 KB write check. */
const QUOTA_KB = 256;

/**
 * The tmpfs's source name, as /proc/mounts lists it: it names the process that mounted it, so a
 * leftover mount says whose it is and a check for leftovers counts only its own drills, not
 * those of another worker or test run on the same machine.
 */
export const scratchMountSource = (pid = process.pid): string => `vigil-drill-${pid}`;

export interface ScratchDisk {
  dir: string;
  /** Writes filler until the disk refuses: the fault. */
  fill(): void;
  unmount(): Promise<void>;
}

/**
 * A real quota: a tmpfs of 256 KB mounted for the drill (needs root or CAP_SYS_ADMIN). A
 * directory with no quota would never fill, so without the mount the scenario is skipped,
 * not faked.
 */
export async function mountScratchDisk(parent: string): Promise<ScratchDisk> {
  const dir = path.join(parent, 'scratch');
  mkdirSync(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${QUOTA_KB}k,mode=0700`, scratchMountSource(), dir], { timeout: 5000 });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `cannot mount a ${QUOTA_KB} KB tmpfs for the disk scenario (${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}); run the drill as root`,
    );
  }
  let mounted = true;
  return {
    dir,
    fill() {
      const fd = openSync(path.join(dir, 'fill.bin'), 'w');
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    async unmount() {
      if (!mounted) return;
      mounted = false;
      // Lazy: a demo process still holding a file there must not keep the mount alive.
      await run('umount', ['-l', dir], { timeout: 5000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
