import { NextResponse, type NextRequest } from 'next/server';
import { REQUEST_ID_HEADER, requestIdFrom } from '@/lib/request-id';
import { REQUESTED_PAGE_HEADER } from '@/lib/auth/return-path';

/**
 * Gives every request an id: the reverse proxy's when it sent a sane one, otherwise a new one.
 * Route handlers read it from the request headers (app/_lib/request-log.ts), the worker
 * client forwards it, and the browser sees it on the response to quote in a report.
 */
export function proxy(request: NextRequest): NextResponse {
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  // Overwritten, never taken from the client: pages read it to return here after sign-in.
  headers.set(REQUESTED_PAGE_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  // Build assets are immutable files: an id there would name nothing worth finding in a log.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
