// A verification thread: checks one seq range of the audit chain on a connection of its
// own (read-only SQLite, or a node-postgres client). Plain JavaScript that loads the
// TypeScript checker through tsx, so it runs the same way under the worker, the CLI and tests.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { scanSqliteRange, scanPostgresRange } = await tsImport('./verify-range.ts', import.meta.url);

async function scan() {
  if (workerData.file) {
    const { default: Database } = await import('better-sqlite3');
    const connection = new Database(workerData.file, { readonly: true, fileMustExist: true });
    try {
      return scanSqliteRange(connection, workerData.task);
    } finally {
      connection.close();
    }
  }
  const { default: pg } = await import('pg');
  // timestamp(3) without time zone holds UTC; node-postgres would read it as local time,
  // so it stays text and the row reader turns it into ISO form.
  const types = { getTypeParser: (oid, format) => (oid === 1114 ? (text) => text : pg.types.getTypeParser(oid, format)) };
  const client = new pg.Client({ connectionString: workerData.postgresUrl, types });
  await client.connect();
  try {
    return await scanPostgresRange(client, workerData.task);
  } finally {
    await client.end();
  }
}

try {
  parentPort.postMessage({ ok: true, scan: await scan() });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
