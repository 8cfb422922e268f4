import { AppError } from './errors';

/**
 * An expected failure made where the status is the point (the routers' own refusals: 401, 405,
 * 413, 422 …). Any AppError answers the same way; this one only keeps the status first.
 */
export class HttpError extends AppError {
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(code, status, message, { headers });
    this.name = 'HttpError';
  }
}

/** "field.path: message; …" from zod issues, so a 422 names what was wrong. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`).join('; ');
}
