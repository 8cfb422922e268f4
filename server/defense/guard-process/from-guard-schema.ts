import { z } from 'zod';
import { MAX_BATCH_KEYS, MAX_PATH, type CountedBatch, type CountedPairs, type CountedRequests, type FromGuard } from './guard-protocol';

/** The longest source text a pair may name (an IPv6 address with a zone is far shorter). */
const MAX_SOURCE = 100;
/** A pair's count in one 50 ms batch stays far below a million even at a million checks a second. */
const MAX_COUNT = 1_000_000;

const fromGuardSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('listening'), port: z.number().int().min(1).max(65535) }),
  z.object({ kind: z.literal('listen_failed'), code: z.string().max(100), message: z.string().max(1000) }),
  z.object({
    kind: z.literal('requests'),
    at: z.number().int().positive(),
    checks: z.number().int().min(0).max(1e9),
    denied: z.number().int().min(0).max(1e9),
    requests: z.object({
      sources: z.string().max(MAX_BATCH_KEYS * (MAX_SOURCE + 1)),
      paths: z.string().max(MAX_BATCH_KEYS * (MAX_PATH + 1)),
      pathless: z.instanceof(Uint8Array),
      counts: z.instanceof(Uint32Array),
    }),
  }),
]);

/**
 * The columns read back into pairs, each checked as it is read, or null: one plain pass over a
 * batch of thousands (a zod transform over it cost several times the reading). The bounds keep a
 * confused process from making the worker replay without end.
 */
function readPairs(columns: CountedRequests): CountedPairs | null {
  const rows = columns.counts.length;
  if (rows === 0) return [];
  const sources = columns.sources.split('\n');
  const paths = columns.paths.split('\n');
  if (rows > MAX_BATCH_KEYS || sources.length !== rows || paths.length !== rows || columns.pathless.length !== rows) return null;
  const pairs: CountedPairs = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const source = sources[i];
    const path = paths[i];
    const count = columns.counts[i];
    if (source.length === 0 || source.length > MAX_SOURCE || path.length > MAX_PATH || count === 0 || count > MAX_COUNT) return null;
    pairs[i] = [source, columns.pathless[i] === 1 ? null : path, count];
  }
  return pairs;
}

export type FromGuardReceived = Exclude<FromGuard, { kind: 'requests' }> | CountedBatch;

/** Messages from the guard process, checked once as they arrive: a process of its own is a boundary. */
export function parseFromGuard(raw: unknown): { ok: true; message: FromGuardReceived } | { ok: false; error: string } {
  const parsed = fromGuardSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.message };
  const message = parsed.data;
  if (message.kind !== 'requests') return { ok: true, message };
  const requests = readPairs(message.requests);
  if (requests === null) return { ok: false, error: `a batch of ${message.requests.counts.length} counts is out of bounds or its columns do not line up` };
  return { ok: true, message: { ...message, requests } };
}
