import { createHash } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { statusSlugSchema } from '@/lib/status-pages/status-page-schema';
import { renderStatusPage } from '@/lib/status-pages/html/render-status-page';
import { STATUS_PAGE_CSS } from '@/lib/status-pages/html/status-page-css';
import { statusPageContracts } from '@/server/contracts';
import { WORKER_RETRY_AFTER_SECONDS } from '@/server/web/worker-call';
import { getWebContext } from './web-context';

/** Short enough that an incident post shows within seconds; revalidated in the background after. */
export const STATUS_CACHE_CONTROL = 'public, max-age=15, stale-while-revalidate=60';

const styleHash = `'sha256-${createHash('sha256').update(STATUS_PAGE_CSS).digest('base64')}'`;
/** No script at all; the one inline style by its hash; a logo from anywhere over https or uploaded. */
const STATUS_PAGE_POLICY = [
  "default-src 'none'",
  `style-src ${styleHash}`,
  "img-src 'self' data: https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const BASE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': STATUS_PAGE_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

function plainPage(status: number, title: string, cacheControl: string, headers: Record<string, string> = {}): Response {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
  return new Response(body, { status, headers: { ...BASE_HEADERS, 'cache-control': cacheControl, ...headers } });
}

/** Whether the client's validator names this version (a list, or a weak one, as browsers and proxies send it). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

/**
 * A status page for anyone, signed in or not: one cached worker call, rendered to HTML here,
 * with a validator so a revisit costs a 304. No cookie is read or set.
 */
export async function statusPageResponse(request: NextRequest, slug: string): Promise<Response> {
  if (!statusSlugSchema.safeParse(slug).success) return plainPage(404, 'No such status page', 'public, max-age=60');
  const web = await getWebContext();
  let html: string;
  try {
    html = renderStatusPage(await web.worker.call(statusPageContracts.publicView, { params: { slug } }));
  } catch (error) {
    // By its status, not its class: the bundler may hand this module its own copy of the error classes.
    if ((error as { status?: unknown }).status === 404) return plainPage(404, 'No such status page', 'public, max-age=60');
    web.log.warn({ err: (error as Error).message, slug }, 'status page unavailable');
    // Visitors, monitors and proxies may ask again soon: the worker is usually back within seconds.
    return plainPage(503, 'Status temporarily unavailable', 'no-store', { 'retry-after': WORKER_RETRY_AFTER_SECONDS });
  }
  const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
  const headers = { ...BASE_HEADERS, 'cache-control': STATUS_CACHE_CONTROL, etag };
  if (matches(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : html, { status: 200, headers });
}
