import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, type Logger } from '../log';

/** A real pino logger that writes nothing. */
export function silentLogger(): Logger {
  return createLogger('test', 'silent');
}

/** A real pino logger whose lines are kept, parsed, for assertions. */
export function capturingLogger(level = 'info'): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}
