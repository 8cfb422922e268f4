import { NextResponse, type NextRequest } from 'next/server';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/request-id';
import { REQUESTED_PAGE_HEADER } from '@/lib/auth/return-path';
import { contentSecurityPolicy, hostnameOf, newNonce, NONCE_HEADER, workerConnectSources } from '@/lib/security/content-security-policy';
import { webEnv } from '@/app/_lib/web-env';
import { statusSlugForHost } from '@/app/_lib/status-domains';

const CSP_HEADER = 'content-security-policy';

/** The policy of a page, with a nonce of its own; API answers are JSON and never rendered. */
function pagePolicy(request: NextRequest): { nonce: string; policy: string } | null {
  // API answers are JSON; status pages carry their own, stricter policy (no script at all).
  if (request.nextUrl.pathname.startsWith('/api/') || request.nextUrl.pathname.startsWith('/status/')) return null;
  const env = webEnv();
  const nonce = newNonce();
  // The Host header, as the browser sent it: behind a custom server nextUrl names the listening address.
  const connectSources = workerConnectSources({
    workerPublicUrl: env.workerPublicUrl,
    workerPort: env.workerPort,
    pageHostname: hostnameOf(request.headers.get('host')),
  });
  // Not configuration: Next.js replaces NODE_ENV at build time, and `next dev` needs eval for fast refresh.
  // eslint-disable-next-line no-restricted-syntax
  const development = process.env.NODE_ENV === 'development';
  return { nonce, policy: contentSecurityPolicy({ nonce, connectSources, development }) };
}

/**
 * Gives every request an id: the reverse proxy's when it sent a sane one, otherwise a new one.
 * Route handlers read it from the request headers (app/_lib/request-log.ts), the worker
 * client forwards it, and the browser sees it on the response to quote in a report.
 * Pages also get their Content-Security-Policy here: Next.js reads the nonce from the request's
 * copy of the header and stamps it on the scripts it renders.
 */
export function proxy(request: NextRequest): NextResponse {
  // A custom domain of a status page shows that page at its root.
  if (request.nextUrl.pathname === '/') {
    const slug = statusSlugForHost(hostnameOf(request.headers.get('host')));
    if (slug) return NextResponse.rewrite(new URL(`/status/${slug}`, request.url));
  }
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  // Overwritten, never taken from the client: pages read it to return here after sign-in.
  headers.set(REQUESTED_PAGE_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const page = pagePolicy(request);
  if (page) {
    headers.set(NONCE_HEADER, page.nonce);
    headers.set(CSP_HEADER, page.policy);
  } else {
    headers.delete(NONCE_HEADER);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  if (page) response.headers.set(CSP_HEADER, page.policy);
  return response;
}

export const config = {
  // Build assets are immutable files: an id there would name nothing worth finding in a log.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
