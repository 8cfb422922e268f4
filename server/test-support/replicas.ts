import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort, waitForHttp } from './http';
import { spawnTs, type RunningProcess } from './processes';
import { workerEnvVars } from './worker-env';

export { clusterHealth, type ClusterHealth } from './cluster-health';

export interface Replica {
  node: string;
  port: number;
  url: string;
  running: RunningProcess;
}

/**
 * A worker replica as production runs it (`node --import tsx server/main.ts`), with VIGIL_HA
 * on, its own data directory (spool) and the shared database and configuration file.
 */
export async function spawnReplica({
  node,
  databaseUrl,
  baseDir,
  configFile,
  vars = {},
}: {
  node: string;
  databaseUrl: string;
  baseDir: string;
  configFile: string;
  vars?: Record<string, string>;
}): Promise<Replica> {
  const dataDir = path.join(baseDir, node);
  mkdirSync(dataDir, { recursive: true });
  const port = await findFreePort();
  const running = spawnTs('server/main.ts', {
    env: workerEnvVars({
      dataDir,
      databaseUrl,
      vars: { WORKER_PORT: String(port), LOG_LEVEL: 'warn', VIGIL_HA: 'true', VIGIL_NODE_ID: node, VIGIL_CONFIG: configFile, ...vars },
    }),
  });
  await waitForHttp(port, { isAlive: () => running.child.exitCode === null && running.child.signalCode === null }).catch((error: Error) => {
    running.kill('SIGKILL');
    throw new Error(`${error.message}; stderr: ${running.stderr()}`);
  });
  return { node, port, url: `http://127.0.0.1:${port}`, running };
}

export function writeConfig(file: string, yaml: string): string {
  writeFileSync(file, yaml);
  return file;
}
