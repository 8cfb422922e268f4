import { createLogger, type Logger } from '../log';

/** A real pino logger that writes nothing. */
export function silentLogger(): Logger {
  return createLogger('test', 'silent');
}
