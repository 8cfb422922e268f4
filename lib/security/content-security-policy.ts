/** Request header that carries this response's script nonce from proxy.ts to the root layout. */
export const NONCE_HEADER = 'x-nonce';

/** A fresh, unguessable nonce per response (128 bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** A Host header's name part, when it is a plain host name or address (never anything that could end a directive). */
export function hostnameOf(hostHeader: string | null): string | null {
  if (!hostHeader) return null;
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(hostHeader);
  return match ? match[1] : null;
}

/**
 * Where the browser may open the live socket: the worker's public URL when one is set, else the
 * page's own host (as the browser named it) on the worker's port, which is what the live
 * connection dials, by HTTP and WebSocket. No usable host: only the page's own origin.
 */
export function workerConnectSources(input: { workerPublicUrl: string | null; workerPort: number; pageHostname: string | null }): string[] {
  if (input.workerPublicUrl) {
    const url = new URL(input.workerPublicUrl);
    return [url.origin, `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`];
  }
  if (!input.pageHostname) return [];
  const host = input.pageHostname.includes(':') && !input.pageHostname.startsWith('[') ? `[${input.pageHostname}]` : input.pageHostname;
  return ['http', 'https', 'ws', 'wss'].map((scheme) => `${scheme}://${host}:${input.workerPort}`);
}

/**
 * The console's policy: scripts only with this response's nonce (Next.js stamps it on its own
 * scripts, 'strict-dynamic' lets them load their chunks), nothing framed, no plugins, no
 * foreign base or form targets. Style attributes stay allowed: charts and layout set them
 * inline, and an attribute cannot run script. Development needs eval and inline styles for
 * fast refresh.
 */
export function contentSecurityPolicy(input: { nonce: string; connectSources: readonly string[]; development: boolean }): string {
  const scripts = ["'self'", `'nonce-${input.nonce}'`, "'strict-dynamic'", ...(input.development ? ["'unsafe-eval'"] : [])];
  const styles = input.development ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${input.nonce}'`];
  return [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    `style-src ${styles.join(' ')}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${input.connectSources.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
