import pg from 'pg';
import { applyMigrations } from '@/server/db/migrate';

export const FILTER_TYPES = [
  'health.sample',
  'degradation.changed',
  'threat.detected',
  'module.restarted',
  'auth.login',
  'app.auth_failure',
  'app.request',
  'isolation.added',
];

/**
 * The same mix as the SQLite filter fixture (8 types, 20 modules, critical 1 in 97, warning
 * 1 in 13, spread evenly over `spanMs` up to `endMs`), generated inside PostgreSQL with
 * generate_series: millions of rows in minutes instead of hours. The hashes are filler and
 * do not chain, which a filter benchmark does not need (and verification would reject).
 */
const INSERT = `
INSERT INTO "AuditEvent" ("seq", "eventId", "at", "type", "severity", "actor", "action", "module", "resource", "reason", "method", "source", "details", "prevHash", "hash")
SELECT i, md5('e' || i)::uuid::text,
       to_timestamp(($3::bigint - $4::bigint + (i - 1) * ($4::float8 / $5::bigint)) / 1000.0) AT TIME ZONE 'UTC',
       ($6::text[])[1 + i % 8],
       CASE WHEN i % 97 = 0 THEN 'critical' WHEN i % 13 = 0 THEN 'warning' ELSE 'info' END,
       CASE WHEN i % 3 = 0 THEN 'system' ELSE 'user:op' || i % 17 END,
       'action ' || i % 50, 'module-' || i % 20, NULL,
       CASE WHEN i % 10 = 0 THEN 'reason ' || i % 31 END,
       'probe', '203.0.113.' || i % 250,
       '{"i":' || i || ',"latencyMs":' || i % 900 || ',"ok":' || (i % 11 <> 0) || '}',
       md5('p' || i) || md5('q' || i), md5('h' || i) || md5('k' || i)
FROM generate_series($1::int, $2::int) AS i`;

/**
 * Creates a throwaway database, migrates it, drops its secondary indexes, fills it in chunks
 * and rebuilds the indexes once at the end (a sorted build is far faster than 10M inserts into
 * five B-trees). Returns the database URL and a function that drops the database.
 */
export async function seedPostgresFilterFixture(adminUrl: string, name: string, events: number, spanMs: number, endMs: number, log: (line: string) => void) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  await applyMigrations(url.toString());
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`SET synchronous_commit = off; SET maintenance_work_mem = '512MB'`);
    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = 'AuditEvent' AND indexname <> 'AuditEvent_pkey'`,
    );
    for (const index of indexes.rows) await client.query(`DROP INDEX "${index.name}"`);
    const chunk = 1_000_000;
    for (let from = 1; from <= events; from += chunk) {
      const t0 = performance.now();
      const through = Math.min(from + chunk - 1, events);
      await client.query(INSERT, [from, through, endMs, spanMs, events, FILTER_TYPES]);
      log(`  rows ${from.toLocaleString('en-US')}–${through.toLocaleString('en-US')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (const index of indexes.rows) await client.query(index.definition);
    await client.query('VACUUM ANALYZE "AuditEvent"');
  } finally {
    await client.end();
  }
  return { url: url.toString(), drop };
}
