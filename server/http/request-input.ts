import type { IncomingMessage } from 'node:http';
import type { ZodType } from 'zod';
import { describeIssues, HttpError } from '@/lib/http-error';
import { isStorableText } from '@/lib/json-body';

// What the router reads from a request before a handler sees it: the target, the path
// parameters, the query and the body. A bad one is the client's error (a 4xx), never a 500:
// the target and the parameters are read from anyone, before authentication.

const MAX_BODY_BYTES = 1_048_576;

/** The whole body, up to the worker's limit (past it, a 413 that names the limit). */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop buffering but keep reading, so the client is still there to get the 413.
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'payload_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`, { connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/**
 * The request target as a URL, or a 400: `//host`-like targets and broken `%` escapes come
 * from anyone, before authentication, so they must be the client's error and never a 500.
 */
export function parseTarget(rawUrl: string | undefined): URL {
  try {
    // Prefixed, not resolved against a base: `//x` would otherwise be read as a host.
    return new URL(`http://worker.local${rawUrl?.startsWith('/') ? rawUrl : `/${rawUrl ?? ''}`}`);
  } catch {
    throw new HttpError(400, 'invalid_path', 'the request path is not a valid URL path');
  }
}

export function parseQuery<Q>(url: URL, schema: ZodType<Q>): Q {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new HttpError(422, 'invalid_query', describeIssues(parsed.error.issues));
  return parsed.data;
}

export function decodeParam(value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw new HttpError(400, 'invalid_path', 'the request path has a malformed % escape');
  }
  if (!isStorableText(decoded)) throw new HttpError(400, 'invalid_path', 'the request path must not contain NUL characters or unpaired surrogates');
  return decoded;
}
