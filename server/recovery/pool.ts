/** Runs `work` over items with at most `concurrency` in flight; the first failure stops the rest. */
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await work(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, lane);
  const results = await Promise.allSettled(lanes);
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * For loops of short synchronous file-system calls (a few microseconds each on cached inodes,
 * against tens for a round trip through the thread pool): call the returned function between
 * steps; it lets the event loop run once every `sliceMs`, so a worker doing a snapshot or a
 * restore keeps answering its other requests.
 */
export function timeSlicer(sliceMs: number): () => Promise<void> | undefined {
  let sliceStarted = performance.now();
  return () => {
    if (performance.now() - sliceStarted <= sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        sliceStarted = performance.now();
        resolve();
      }),
    );
  };
}

/** Indices of `items`, those that `isBig` picks first, each group in its own order. */
export function bigFilesFirst<T>(items: readonly T[], isBig: (item: T) => boolean): number[] {
  const big: number[] = [];
  const rest: number[] = [];
  items.forEach((item, index) => (isBig(item) ? big : rest).push(index));
  return [...big, ...rest];
}
