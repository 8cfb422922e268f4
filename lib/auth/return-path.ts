/** The page a request asked for (path and query), stamped by proxy.ts so a server component can send it through sign-in. */
export const REQUESTED_PAGE_HEADER = 'x-vigil-page';

/** Where sign-in goes when `next` is missing or points anywhere but this console. */
export const HOME_PATH = '/';

/**
 * The path (with query and fragment) that `next` names on this console, or HOME_PATH.
 *
 * `next` is resolved as a browser would resolve it against `origin` and kept only when it lands on
 * the same origin: prefix checks miss what browsers forgive (`/\evil.example`, `/<TAB>/evil.example`
 * and `//evil.example` all leave the site). The result is a path only, never `//…`, so setting
 * `location` to it cannot leave the site either.
 */
export function sameOriginPath(next: string | null | undefined, origin: string): string {
  if (!next) return HOME_PATH;
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(next, base);
  } catch {
    return HOME_PATH;
  }
  if (target.origin !== base.origin) return HOME_PATH;
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser would read as a host.
  const path = target.pathname.replace(/^\/{2,}/, '/');
  return `${path}${target.search}${target.hash}`;
}

/** The sign-in page that returns to `returnTo` (a path on this console) afterwards. */
export function signInPathFor(returnTo: string | null): string {
  return returnTo && returnTo !== HOME_PATH && !returnTo.startsWith('/login') ? `/login?${new URLSearchParams({ next: returnTo })}` : '/login';
}
