/** Carries one request's id from the reverse proxy through the web app to the worker, and back. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Enough for a UUID, nginx's $request_id, a W3C trace id or "<host>:<n>"; nothing that could
// break a log line, a header or a shell when someone pastes it.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming id, kept only when it is sane; a repeated header is not. */
export function acceptRequestId(value: string | string[] | null | undefined): string | undefined {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : undefined;
}

/** The incoming id when it is sane, otherwise a new one. */
export function requestIdFrom(value: string | string[] | null | undefined): string {
  return acceptRequestId(value) ?? crypto.randomUUID();
}
