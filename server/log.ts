import pino, { type Logger } from 'pino';

export type { Logger };

/** Anything that can carry a credential is censored before a line is written. */
const SENSITIVE = ['password', 'token', 'secret', 'authorization', 'cookie', 'passwordHash', 'tokenHash'];
const REDACT = SENSITIVE.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' }, base: { process: name } });
}
