import pino, { type Logger } from 'pino';

export type { Logger };

/** Anything that can carry a credential is censored before a line is written. */
const REDACT = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', 'cookie', '*.cookie',
  'req.headers.authorization', 'req.headers.cookie',
];

export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' }, base: { process: name } });
}
