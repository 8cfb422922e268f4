/**
 * Marks an HttpError by a registry symbol rather than by its class: a production build of the web
 * app bundles each route on its own, so an error made by the shared context's code is an instance
 * of another bundle's copy of this class, and `instanceof` would call it unexpected.
 */
const HTTP_ERROR_BRAND = Symbol.for('vigil.http-error');

/**
 * The one expected-failure type of both HTTP surfaces (the worker's and the web
 * app's API): a status, a stable code for machines, a message for people. Bodies
 * are always `{ "error": { "code", "message" } }`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  readonly [HTTP_ERROR_BRAND] = true;

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** True for an HttpError from any copy of this module (see HTTP_ERROR_BRAND). */
export function isHttpError(value: unknown): value is HttpError {
  return typeof value === 'object' && value !== null && (value as { [HTTP_ERROR_BRAND]?: unknown })[HTTP_ERROR_BRAND] === true;
}

/** "field.path: message; …" from zod issues, so a 422 names what was wrong. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`).join('; ');
}
