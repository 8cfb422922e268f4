/**
 * Request headers read from Node's `rawHeaders` (name, value, name, value …) instead of
 * `req.headers`, which Node builds on first use: an object of every header, each name
 * lower-cased into a new string. The guard answers at proxy rate and needs a few of them.
 */

/** Whether a header name as sent equals `lower` (a lower-case name of letters and dashes), ignoring case, without allocating. */
function sameName(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  // OR-ing 0x20 lower-cases ASCII letters and leaves '-' alone; a header name holds no other byte that could collide.
  for (let i = 0; i < lower.length; i++) if ((name.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/**
 * The value of the header `lower` (lower-case) as `req.headers[lower]` has it for an x-… or
 * other non-standard header: repeated lines joined with ", ", undefined when absent.
 */
export function rawHeader(raw: readonly string[], lower: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (!sameName(raw[i], lower)) continue;
    value = value === undefined ? raw[i + 1] : `${value}, ${raw[i + 1]}`;
  }
  return value;
}

/** The headers a forward-auth request carries about the client and what it asked for. */
export interface ForwardedHeaders {
  forwardedFor: string | undefined;
  realIp: string | undefined;
  forwardedUri: string | undefined;
  originalUri: string | undefined;
}

/** The four forwarded headers in one pass over `raw`, into `into` (reused by a caller that answers synchronously). */
export function readForwardedHeaders(raw: readonly string[], into: ForwardedHeaders): ForwardedHeaders {
  into.forwardedFor = into.realIp = into.forwardedUri = into.originalUri = undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    // Every one of them starts with "x-": most headers (Host, User-Agent, Accept) fail here.
    if (name.length < 9 || (name.charCodeAt(0) | 0x20) !== 0x78 || name.charCodeAt(1) !== 0x2d) continue;
    const value = raw[i + 1];
    if (sameName(name, 'x-forwarded-for')) into.forwardedFor = join(into.forwardedFor, value);
    else if (sameName(name, 'x-real-ip')) into.realIp = join(into.realIp, value);
    else if (sameName(name, 'x-forwarded-uri')) into.forwardedUri = join(into.forwardedUri, value);
    else if (sameName(name, 'x-original-uri')) into.originalUri = join(into.originalUri, value);
  }
  return into;
}

const join = (previous: string | undefined, value: string): string => (previous === undefined ? value : `${previous}, ${value}`);
