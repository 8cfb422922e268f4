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

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** "field.path: message; …" from zod issues, so a 422 names what was wrong. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`).join('; ');
}
