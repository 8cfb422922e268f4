// Logs through the real createLogger, to its real destination (stdout), for tests of
// what reaches a log line:
//   node --import tsx server/test-support/log-process.ts '<json options>'
// Writes one line per record, then exits.
import { createLogger } from '../log';

interface Options {
  name: string;
  level?: string;
  /** Each is logged as `log.info(fields, msg)`, or through a child logger when `child` is set. */
  records: Array<{ fields: Record<string, unknown>; msg: string; child?: Record<string, unknown> }>;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const log = createLogger(options.name, options.level);
for (const record of options.records) {
  (record.child ? log.child(record.child) : log).info(record.fields, record.msg);
}
