import type { AuditWriter } from '../audit';
import { loadConfigFile } from '../config/config-file';
import type { Database } from '../db/client';
import { dbErrorMessage } from '../db/db-error';
import { internalToken } from '../auth/keys';
import { loadCliEnv, type CliEnv } from '../env/cli-env';
import { EnvError } from '../env/env-error';
import { RecoveryService, vigilStateAccess } from '../recovery';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import type { CliIo } from './command-table';

export interface RecoveryContext {
  env: CliEnv;
  service: RecoveryService;
  close(): Promise<void>;
}

/**
 * Forwards progress to a running worker, which shows it on the dashboard. Best effort: with
 * the worker stopped (when the CLI matters most) the first failure turns the relay off.
 */
function workerRelay(env: CliEnv): (progress: RecoveryProgress) => void {
  let enabled = true;
  let chain = Promise.resolve();
  return (progress) => {
    if (!enabled) return;
    chain = chain.then(() =>
      fetch(new URL('/internal/v1/recovery/progress', env.workerUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${internalToken(env.secret)}`, 'content-type': 'application/json' },
        body: JSON.stringify(progress),
        signal: AbortSignal.timeout(500),
      }).then(
        (response) => void response.body?.cancel(),
        () => {
          enabled = false;
        },
      ),
    );
  };
}

export interface RecoveryContextOptions {
  onProgress?: (progress: RecoveryProgress) => void;
  /**
   * False for commands that only read the snapshot store (listing): they neither audit nor
   * touch Vigil's state, so they skip opening and migrating the database, the slowest part of a start.
   */
  database?: boolean;
}

/** Config, database (for Vigil's state and the audit trail) and the service, as the worker has them. */
export async function openRecoveryContext(io: CliIo, { onProgress, database: wantsDatabase = true }: RecoveryContextOptions = {}): Promise<RecoveryContext> {
  const env = loadCliEnv(io.env);
  const loaded = loadConfigFile(env.configPath);
  if (loaded.problems.length > 0) {
    throw new EnvError(`VIGIL_CONFIG: ${env.configPath} has errors:\n${loaded.problems.map((p) => `  ${p.field || '(file)'}: ${p.message}`).join('\n')}`);
  }
  let database: Database | null = null;
  let audit: AuditWriter | null = null;
  try {
    // Imported here: the database client, the migrator and the audit writer are most of what a command loads.
    if (wantsDatabase) ({ database, audit } = await (await import('./cli-audit')).openCliAudit(env));
  } catch (error) {
    // A restore must still run when the database is what broke; say what is missing.
    io.err(`vigil: warning: the database is unavailable (${dbErrorMessage(error)}); Vigil's own state is skipped and this run is not audited`);
    database = null;
    audit = null;
  }
  const relay = workerRelay(env);
  const service = new RecoveryService({
    dataDir: env.dataDir,
    config: () => loaded.config.snapshots,
    state: database ? vigilStateAccess(database.prisma, env.dataDir) : null,
    audit,
    killAfterOps: env.restoreKillAfterOps,
    searchPath: env.searchPath,
    onProgress: (progress) => {
      onProgress?.(progress);
      relay(progress);
    },
  });
  return {
    env,
    service,
    async close() {
      await audit?.close();
      await database?.close();
    },
  };
}
