import { request as httpRequest } from 'node:http';
import type { AuditWriter } from '../audit';
import { lstat } from 'node:fs/promises';
import type { Database } from '../db/client';
import { dbErrorMessage } from '../db/db-error';
import { internalToken } from '../auth/keys';
import { loadCliEnv, type CliEnv } from '../env/cli-env';
import { EnvError } from '../env/env-error';
import { RecoveryService, vigilStateAccess } from '../recovery';
import { snapshotsConfigSchema, type SnapshotsConfig } from '@/lib/config/snapshots-config';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import type { CliIo } from './command-table';

export interface RecoveryContext {
  env: CliEnv;
  service: RecoveryService;
  close(): Promise<void>;
}

/** One POST to the worker; rejects on any failure or after 500 ms. */
function postProgress(url: URL, token: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: 500,
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Forwards progress to a running worker, which shows it on the dashboard. Best effort: with
 * the worker stopped (when the CLI matters most) the first failure turns the relay off.
 * node:http rather than fetch: fetch loads undici, about a third of a second of a command's start.
 */
export interface WorkerRelay {
  (progress: RecoveryProgress): void;
  /** Resolves once every update handed over so far has been sent or given up on. */
  drained(): Promise<void>;
}

export function workerRelay(env: Pick<CliEnv, 'workerUrl' | 'secret'>): WorkerRelay {
  let enabled = true;
  let chain = Promise.resolve();
  const url = new URL('/internal/v1/recovery/progress', env.workerUrl);
  const token = internalToken(env.secret);
  const relay = (progress: RecoveryProgress) => {
    if (!enabled) return;
    chain = chain.then(() =>
      postProgress(url, token, JSON.stringify(progress)).catch(() => {
        enabled = false;
      }),
    );
  };
  return Object.assign(relay, { drained: () => chain });
}

export interface RecoveryContextOptions {
  onProgress?: (progress: RecoveryProgress) => void;
  /**
   * False for commands that only read the snapshot store (listing): they neither audit nor
   * touch Vigil's state, so they skip opening and migrating the database, the slowest part of a start.
   */
  database?: boolean;
}

/**
 * The snapshots section, from a configuration file checked whole as the worker checks it (a
 * file with errors anywhere is refused). Without a file, only the snapshots section's defaults:
 * the other sections' schemas and the YAML parser are not loaded at all.
 */
async function loadSnapshotsConfig(configPath: string): Promise<SnapshotsConfig> {
  const absent = await lstat(configPath).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
  if (absent) return snapshotsConfigSchema.parse({});
  const loaded = (await import('../config/config-file')).loadConfigFile(configPath);
  if (loaded.problems.length > 0) {
    throw new EnvError(`VIGIL_CONFIG: ${configPath} has errors:\n${loaded.problems.map((p) => `  ${p.field || '(file)'}: ${p.message}`).join('\n')}`);
  }
  return loaded.config.snapshots;
}

/** Config, database (for Vigil's state and the audit trail) and the service, as the worker has them. */
export async function openRecoveryContext(io: CliIo, { onProgress, database: wantsDatabase = true }: RecoveryContextOptions = {}): Promise<RecoveryContext> {
  const env = loadCliEnv(io.env);
  const snapshotsConfig = await loadSnapshotsConfig(env.configPath);
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
    config: () => snapshotsConfig,
    state: database ? vigilStateAccess(database, env.dataDir) : null,
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
