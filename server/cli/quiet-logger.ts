import type { Logger } from '../log';

const nothing = () => undefined;

/**
 * What the CLI hands to the parts it shares with the worker (the audit writer): a logger that
 * writes nothing, as pino at level 'silent' would, without loading pino and its transports,
 * a sixth of a snapshot command's start on a busy machine. The command reports for itself.
 */
export function quietLogger(): Logger {
  const logger = {
    level: 'silent',
    fatal: nothing,
    error: nothing,
    warn: nothing,
    info: nothing,
    debug: nothing,
    trace: nothing,
    silent: nothing,
    isLevelEnabled: () => false,
    bindings: () => ({}),
    child: () => logger,
    flush: nothing,
  };
  return logger as unknown as Logger;
}
