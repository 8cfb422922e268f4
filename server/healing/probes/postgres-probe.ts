import pg from 'pg';
import type { PostgresModule } from '@/lib/healing/monitor-kinds-schema';
import { readNamedSecret } from '../../env/named-secrets';
import { elapsedMs, failed, networkFailure, type ProbeResult } from './probe-result';

/** Connect, run the module's query (SELECT 1 unless said), disconnect: one fresh session each time. */
export async function probePostgres(module: PostgresModule): Promise<ProbeResult> {
  const password = module.passwordEnv ? readNamedSecret(module.passwordEnv) : undefined;
  if (module.passwordEnv && password === undefined) return failed('probe_failed', `${module.passwordEnv} is not set in the worker's environment`);
  const timeoutMs = module.timeoutSeconds * 1000;
  const client = new pg.Client({
    connectionString: module.url,
    password,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'vigil-probe',
  });
  // An error after the answer (the server going away) must not become an unhandled 'error' event.
  client.on('error', () => {});
  const started = performance.now();
  try {
    await client.connect();
    const result = await client.query(module.query);
    const latencyMs = elapsedMs(started);
    return {
      ok: true,
      latencyMs,
      message: `${result.command ?? 'query'} ${result.rowCount ?? 0} row(s) in ${latencyMs} ms`,
      facts: { connected: true, responseTimeMs: latencyMs, body: JSON.stringify(result.rows.slice(0, 100)) },
    };
  } catch (error) {
    const pgError = error as NodeJS.ErrnoException & { severity?: string };
    if (pgError.severity) return failed('probe_failed', `PostgreSQL ${pgError.code}: ${pgError.message}`, elapsedMs(started), { code: pgError.code ?? null });
    if (/timeout/i.test(pgError.message)) return failed('timeout', `no answer within ${module.timeoutSeconds} s`, null, { timeoutMs });
    return networkFailure(pgError, started);
  } finally {
    await client.end().catch(() => {});
  }
}
