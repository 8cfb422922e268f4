/**
 * Marks an AppError by a registry symbol rather than by its class: a production build of the web
 * app bundles each route on its own, so an error made by the shared context's code is an instance
 * of another bundle's copy of this class, and `instanceof` would call it unexpected.
 */
const APP_ERROR_BRAND = Symbol.for('vigil.app-error');

/** Wire codes are snake_case on both surfaces: clients compare them, so one spelling only. */
export const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export interface AppErrorOptions {
  /** The error this one explains; logged with it, never sent to a client. */
  cause?: unknown;
  /** Response headers that go with the answer (Retry-After, Allow, Connection). */
  headers?: Record<string, string>;
}

/**
 * The one base of every expected failure, in both processes: a snake_case `code` for machines,
 * the HTTP `status` it answers, a `message` for people. Subclasses fix their codes and statuses in
 * one table each, so the error answers the same wherever it is thrown; the HTTP surfaces turn it
 * into `{ "error": { "code", "message" } }` (server/http/error-answer.ts).
 */
export class AppError extends Error {
  readonly headers: Record<string, string>;
  readonly [APP_ERROR_BRAND] = true;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.headers = options.headers ?? {};
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** True for an AppError from any copy of this module (see APP_ERROR_BRAND). */
export function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && (value as { [APP_ERROR_BRAND]?: unknown })[APP_ERROR_BRAND] === true;
}

/**
 * The base of a family of expected failures whose codes each answer one status, from its table:
 * `class IsolationError extends codedError('IsolationError', { allowlisted: 409, … }) {}`.
 */
export function codedError<C extends string>(name: string, statuses: Record<C, number>) {
  return class extends AppError {
    declare readonly code: C;

    constructor(code: C, message: string, options: AppErrorOptions = {}) {
      super(code, statuses[code], message, options);
      this.name = name;
    }
  };
}
