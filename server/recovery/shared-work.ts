import { LEND_FROM, LENT_BATCH, type BlobThreads, type CopyOutcome, type LentJobs, type LentKind } from './blob-threads';

export interface SharedWork<T, J> {
  /** Lets the event loop run between this thread's synchronous steps (pool.ts timeSlicer). */
  slice: () => Promise<void> | undefined;
  /** Does one item on this thread. */
  here: (item: T) => Promise<void>;
  /** The job a lent blob thread does for one item, built when the thread takes it. */
  job: (item: T) => J;
  /** Takes a lent thread's answers, on this thread; throws to fail the whole work. */
  done: (batch: J[], outcomes: CopyOutcome[]) => void;
  /** The other work of the same step (big files on their own threads), started alongside, first in the threads' queue. */
  alongside: () => Promise<void>;
}

/**
 * Small items, taken in order: one at a time by this thread, a batch at a time by a blob thread
 * with nothing else to do. The first failure anywhere stops every share from taking more, and
 * is what this rejects with once nothing handed out is still running. The caller closes `threads`.
 */
export async function shareWithIdleThreads<K extends LentKind, J extends LentJobs[K], T>(
  threads: BlobThreads,
  kind: K,
  items: readonly T[],
  work: SharedWork<T, J>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const take = () => (failed || next >= items.length ? undefined : items[next++]);
  const stop = (error: unknown): never => {
    failed = true;
    throw error;
  };
  const stopping =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (error) {
        return stop(error);
      }
    };
  threads.lendIdle(
    kind,
    stopping(() => {
      const batch: J[] = [];
      for (let item = take(); item !== undefined; item = batch.length < LENT_BATCH ? take() : undefined) batch.push(work.job(item));
      return batch;
    }),
    stopping(work.done),
    { startThreads: items.length >= LEND_FROM },
  );
  const alongside = work.alongside();
  const ownShare = (async () => {
    for (;;) {
      await work.slice();
      const item = take();
      if (item === undefined) return;
      await work.here(item);
    }
  })();
  const lent = (async () => {
    // Everything is taken once this thread's share ends; then the batches still out are awaited.
    await ownShare.catch(() => undefined);
    await threads.returnLent();
  })();
  const outcomes = await Promise.allSettled([alongside.catch(stop), ownShare.catch(stop), lent.catch(stop)]);
  const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (rejected) throw rejected.reason;
}
