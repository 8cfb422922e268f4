import { createRequire } from 'node:module';
import type PgDriver from 'pg';

// pg is CommonJS, so it can be required synchronously on first use: a worker on SQLite never
// loads it (measured: ~2.4 MiB of JavaScript heap and its code, for nothing), and callers that
// construct pools and clients stay synchronous.
const requireFromHere = createRequire(import.meta.url);
let driver: typeof PgDriver | null = null;

/** The `pg` module, loaded the first time a PostgreSQL connection is made. */
export function pgDriver(): typeof PgDriver {
  driver ??= requireFromHere('pg') as typeof PgDriver;
  return driver;
}
