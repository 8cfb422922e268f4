import { MAX_BATCH_KEYS, type CountedRequests } from './guard-protocol';

/** Paths of one source kept in its list; a longer list would cost more to walk than a Map lookup. */
const PATHS_PER_SOURCE = 8;

/** One source's count for one path; a source's other paths follow in `next` (few in one batch). */
interface Tally {
  path: string | null;
  count: number;
  next: Tally | null;
}

/**
 * Requests the guard process passed, counted per source and path until the next batch goes to
 * the worker's detectors. A flood from many sources fills it to MAX_BATCH_KEYS, and then it is
 * handed over at once: memory stays bounded and no request goes uncounted.
 */
export class RequestTally {
  private tallies = new Map<string, Tally>();
  /** Past PATHS_PER_SOURCE paths of one source: keyed by source and path (a NUL never occurs in an address). */
  private more = new Map<string, { source: string; path: string | null; count: number }>();
  private keys = 0;
  checks = 0;
  denied = 0;

  constructor(private readonly onFull: () => void) {}

  get empty(): boolean {
    return this.checks === 0;
  }

  /**
   * Keyed by the source alone, its first paths compared in a short list: no key text is built per
   * request. A source asking for many paths (a scan) has the rest counted under source and path.
   */
  count(source: string, path: string | undefined): void {
    const wanted = path ?? null;
    const first = this.tallies.get(source);
    let length = 0;
    for (let tally: Tally | null = first ?? null; tally !== null; tally = tally.next, length++) {
      if (tally.path === wanted) {
        tally.count++;
        return;
      }
    }
    if (length < PATHS_PER_SOURCE) this.tallies.set(source, { path: wanted, count: 1, next: first ?? null });
    else {
      const key = `${source}\0${wanted ?? ''}`;
      const tally = this.more.get(key);
      if (tally !== undefined) {
        tally.count++;
        return;
      }
      this.more.set(key, { source, path: wanted, count: 1 });
    }
    if (++this.keys >= MAX_BATCH_KEYS) this.onFull();
  }

  /** As many pairs as a batch may hold. */
  get full(): boolean {
    return this.keys >= MAX_BATCH_KEYS;
  }

  /**
   * Lets the pairs go, keeping the totals of checks and refusals: for when no batch can be sent.
   * Returns how many counted requests went with them.
   */
  dropPairs(): number {
    let dropped = 0;
    for (const first of this.tallies.values()) for (let t: Tally | null = first; t !== null; t = t.next) dropped += t.count;
    for (const t of this.more.values()) dropped += t.count;
    this.tallies = new Map();
    this.more = new Map();
    this.keys = 0;
    return dropped;
  }

  /** The counts so far, and a fresh start. */
  take(): { checks: number; denied: number; requests: CountedRequests } {
    // `keys` counts every pair, a source's further paths included: one row each.
    const size = this.keys;
    const sources: string[] = [];
    const paths: string[] = [];
    const pathless = new Uint8Array(size);
    const counts = new Uint32Array(size);
    const add = (source: string, path: string | null, count: number) => {
      pathless[sources.length] = path === null ? 1 : 0;
      counts[sources.length] = count;
      sources.push(source);
      paths.push(path ?? '');
    };
    for (const [source, first] of this.tallies) for (let t: Tally | null = first; t !== null; t = t.next) add(source, t.path, t.count);
    for (const t of this.more.values()) add(t.source, t.path, t.count);
    const requests: CountedRequests = { sources: sources.join('\n'), paths: paths.join('\n'), pathless, counts };
    const batch = { checks: this.checks, denied: this.denied, requests };
    this.tallies = new Map();
    this.more = new Map();
    this.keys = 0;
    this.checks = 0;
    this.denied = 0;
    return batch;
  }
}
