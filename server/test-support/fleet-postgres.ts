import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterHealth } from './cluster-health';
import { startConsoleProcess, stopProcess, type FleetProcess } from './fleet';
import { createTestDatabase, type TestDatabase } from './postgres';
import { makeTempDir, type TempDir } from './temp-dir';
import { waitFor } from './wait';

export interface PostgresConsole {
  tmp: TempDir;
  database: TestDatabase;
  /** The first leads; the others stand by. */
  replicas: FleetProcess[];
  /** Starts replica `index` again (after a kill) on its port, data directory and node id. */
  restart(index: number): Promise<FleetProcess>;
  /** Stops every replica still running, drops the database and removes the directory. */
  close(): Promise<void>;
}

const urlOf = (replica: FleetProcess) => ({ url: `http://127.0.0.1:${replica.port}` });

/**
 * A fleet console on a fresh PostgreSQL database: one worker, or `replicas` of them in HA (one
 * fleet key and one audit key for all, as deployed), the first started and leading before the next.
 */
export async function startPostgresConsole({
  prefix,
  replicas = 1,
  config,
}: {
  prefix: string;
  replicas?: number;
  /** vigil.config.yaml of every replica, as a console's replicas share one. */
  config?: string;
}): Promise<PostgresConsole> {
  const tmp = makeTempDir(prefix);
  const database = await createTestDatabase();
  const started: FleetProcess[] = [];
  const ha = replicas > 1;
  const varsOf = (index: number): Record<string, string> =>
    ha
      ? {
          VIGIL_HA: 'true',
          VIGIL_NODE_ID: `replica-${index}`,
          VIGIL_FLEET_KEY_PATH: tmp.join('fleet-console.key'),
          VIGIL_AUDIT_KEY_PATH: tmp.join('audit-signing.key'),
        }
      : {};
  const start = (index: number, port?: number) => {
    const dataDir = tmp.join(ha ? `console-${index}` : 'console');
    if (config !== undefined) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(path.join(dataDir, 'vigil.config.yaml'), config);
    }
    return startConsoleProcess({ dataDir, databaseUrl: database.url, port, vars: varsOf(index) });
  };
  const close = async () => {
    await Promise.all(started.map((replica) => stopProcess(replica)));
    await database.drop();
    tmp.remove();
  };
  try {
    for (let index = 0; index < replicas; index++) {
      started.push(await start(index));
      if (ha && index === 0)
        await waitFor(async () => (await clusterHealth(urlOf(started[0]!)))?.cluster?.role === 'leader', {
          timeoutMs: 30_000,
          what: 'the first replica to lead',
        });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    tmp,
    database,
    replicas: started,
    restart: async (index) => (started[index] = await start(index, started[index]!.port)),
    close,
  };
}
