/**
 * The head of one request to the guard process's port (request line and header lines, without the
 * blank line that ends it), read strictly: anyone who reaches the port may be hostile, and its only
 * legitimate clients (nginx, Traefik, Caddy) send well-formed heads. Whatever is ambiguous (a line
 * two parsers could read differently) is refused rather than guessed.
 */
import { METHODS } from 'node:http';
import { readForwardedHeaders, type ForwardedHeaders } from '@/lib/net/raw-headers';
import { ERROR_REPLIES, Framing } from './guard-http-reply';

/** One parsed request: the object is reused from one request to the next (each is answered before the next is read). */
export interface GuardHttpRequest {
  method: string;
  target: string;
  head: boolean;
  framing: Framing;
  forwarded: ForwardedHeaders;
}

export function emptyRequest(): GuardHttpRequest {
  return {
    method: '',
    target: '',
    head: false,
    framing: Framing.KeepAlive,
    forwarded: { forwardedFor: undefined, realIp: undefined, forwardedUri: undefined, originalUri: undefined },
  };
}

/**
 * The methods Node's parser knows, as before: nginx's auth_request asks with the client's own
 * method, so a POST to the protected site is a POST to the guard. CONNECT would ask for a tunnel.
 */
const KNOWN_METHODS = new Set(METHODS.filter((method) => method !== 'CONNECT'));

/**
 * Whether `bytes[start, end)` holds only field content (HTAB, visible ASCII, obs-text) and CR LF
 * pairs ending lines: no NUL or other control byte, no CR without LF, no LF without CR, which is how
 * requests are smuggled past a proxy that reads the line differently. A loop on the bytes: a regular
 * expression on the decoded text costs about twice as much per request.
 */
function onlyFieldContent(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c >= 0x20) {
      if (c === 0x7f) return false;
    } else if (c === 0x0d && i + 1 < end && bytes[i + 1] === 0x0a) i++;
    else if (c !== 0x09) return false;
  }
  return true;
}

/** The characters of a header name (RFC 9110 tchar). */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

/** Whether `head` holds, at `at`, the lower-case name `lower` in any case (see sameName in raw-headers). */
function nameAt(head: string, at: number, length: number, lower: string): boolean {
  if (length !== lower.length) return false;
  for (let i = 0; i < length; i++) if ((head.charCodeAt(at + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;

/** Only the x-… headers, as name, value pairs: what readForwardedHeaders reads from Node's rawHeaders. */
const raw: string[] = [];

/**
 * Reads the head in `bytes[start, end)` into `into`. Returns null when it is a request to answer, or
 * the error answer to send before closing: 400 for anything malformed or carrying a body (this port
 * reads none, and a body it did not read would be taken for the next request), 405 for CONNECT.
 */
export function parseHead(bytes: Buffer, start: number, end: number, into: GuardHttpRequest): Buffer | null {
  if (!onlyFieldContent(bytes, start, end)) return ERROR_REPLIES.badRequest;
  const head = bytes.toString('latin1', start, end);
  let lineEnd = head.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = head.length;
  const sp1 = head.indexOf(' ');
  const sp2 = sp1 > 0 ? head.indexOf(' ', sp1 + 1) : -1;
  if (sp2 < 0 || sp2 > lineEnd || lineEnd - sp2 !== 9 || !head.startsWith('HTTP/1.', sp2 + 1)) return ERROR_REPLIES.badRequest;
  const minor = head.charCodeAt(sp2 + 8);
  if (minor !== 0x30 && minor !== 0x31) return ERROR_REPLIES.badRequest;
  if (sp2 === sp1 + 1) return ERROR_REPLIES.badRequest;
  // Visible ASCII only: no space, no obs-text in a target.
  for (let i = sp1 + 1; i < sp2; i++) {
    const c = head.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return ERROR_REPLIES.badRequest;
  }
  const method = head.slice(0, sp1);
  if (method !== 'GET' && method !== 'HEAD' && !KNOWN_METHODS.has(method))
    return method === 'CONNECT' ? ERROR_REPLIES.methodNotAllowed : ERROR_REPLIES.badRequest;

  raw.length = 0;
  let host = false;
  let close = false;
  for (let pos = lineEnd + 2; pos < head.length;) {
    let end = head.indexOf('\r\n', pos);
    if (end < 0) end = head.length;
    const colon = head.indexOf(':', pos);
    // No colon, an empty name, or a name with a space or any non-token character (which also
    // refuses an obs-fold continuation line, starting with a space or tab).
    if (colon <= pos || colon >= end) return ERROR_REPLIES.badRequest;
    for (let i = pos; i < colon; i++) if (TCHAR[head.charCodeAt(i)] !== 1) return ERROR_REPLIES.badRequest;
    let valueStart = colon + 1;
    let valueEnd = end;
    while (valueStart < valueEnd && isSpace(head.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isSpace(head.charCodeAt(valueEnd - 1))) valueEnd--;
    const length = colon - pos;
    const first = head.charCodeAt(pos) | 0x20;
    if (first === 0x78) {
      // x-…: the forwarded headers are among them; readForwardedHeaders picks them as it does from rawHeaders.
      if (head.charCodeAt(pos + 1) === 0x2d) raw.push(head.slice(pos, colon), head.slice(valueStart, valueEnd));
    } else if (first === 0x68) {
      if (nameAt(head, pos, length, 'host')) host = true;
    } else if (first === 0x63) {
      if (nameAt(head, pos, length, 'content-length')) {
        if (valueEnd - valueStart !== 1 || head.charCodeAt(valueStart) !== 0x30) return ERROR_REPLIES.badRequest;
      } else if (nameAt(head, pos, length, 'connection')) {
        if (
          head
            .slice(valueStart, valueEnd)
            .toLowerCase()
            .split(',')
            .some((token) => token.trim() === 'close')
        )
          close = true;
      }
    } else if (first === 0x74 && nameAt(head, pos, length, 'transfer-encoding')) return ERROR_REPLIES.badRequest;
    pos = end + 2;
  }
  // As Node's requireHostHeader: HTTP/1.1 makes Host mandatory.
  if (minor === 0x31 && !host) return ERROR_REPLIES.badRequest;
  into.method = method;
  into.target = head.slice(sp1 + 1, sp2);
  into.head = method === 'HEAD';
  // HTTP/1.0 is always closed after its answer, as Node does for an answer without Content-Length.
  into.framing = minor === 0x30 ? Framing.Close10 : close ? Framing.Close : Framing.KeepAlive;
  readForwardedHeaders(raw, into.forwarded);
  return null;
}
