import { open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireStoreLock } from '../recovery/store-lock';
import { RecoveryError } from '../recovery/recovery-error';

/**
 * One contender for the store lock, run as its own process by the lock tests:
 * `<store> <iterations> <abandonEvery>`. While it holds the lock it owns a marker file created
 * with O_EXCL, so a second holder shows up as EEXIST. Every `abandonEvery`-th time it leaves the
 * lock behind as a crashed holder would (a pid whose start time no longer matches).
 * Prints `acquired <n>` and exits 0, or prints `DOUBLE HOLDER` and exits 1.
 */
async function main(): Promise<void> {
  const [store, iterationsArg, abandonArg] = process.argv.slice(2);
  const iterations = Number(iterationsArg);
  const abandonEvery = Number(abandonArg);
  const marker = path.join(store, 'holder-marker');
  let acquired = 0;
  while (acquired < iterations) {
    let lock;
    try {
      lock = await acquireStoreLock(store, `contender ${process.pid}`);
    } catch (error) {
      if (error instanceof RecoveryError && error.code === 'busy') {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      throw error;
    }
    try {
      await (await open(marker, 'wx')).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        process.stdout.write('DOUBLE HOLDER\n');
        process.exit(1);
      }
      throw error;
    }
    acquired += 1;
    await rm(marker);
    if (abandonEvery > 0 && acquired % abandonEvery === 0) {
      const crashed = { ...lock.holder, pidStart: 'not-this-process', nonce: `abandoned-${process.pid}-${acquired}` };
      const tmp = path.join(store, `abandon-${process.pid}.tmp`);
      await writeFile(tmp, JSON.stringify(crashed));
      await rename(tmp, path.join(store, 'lock'));
    } else await lock.release();
  }
  process.stdout.write(`acquired ${acquired}\n`);
}

void main();
