import type { ZodError } from 'zod';
import { redactUrl } from '../db/database-url';

/** A bad environment stops the start; the message names every offending variable. */
export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }

  static fromZod(error: ZodError, source: Record<string, string | undefined>): EnvError {
    const lines = error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const value = source[name];
      const shown = value === undefined ? 'not set' : /SECRET|PASSWORD|TOKEN/.test(name) ? 'value hidden' : `got "${redactUrl(value)}"`;
      return `  ${name}: ${issue.message} (${shown})`;
    });
    return new EnvError(`invalid environment:\n${lines.join('\n')}`);
  }
}
