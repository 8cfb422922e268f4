import { z } from 'zod';
import { auditKeyEnvShape, resolveAuditKeyPath } from './audit-env';
import { commonEnvShape, parseEnv, port, resolveCommonEnv, type CommonEnv } from './common';
import { configEnvShape, resolveConfigPath } from './config-env';

const cliShape = {
  ...commonEnvShape,
  ...auditKeyEnvShape,
  ...configEnvShape,
  WORKER_PORT: port.default(3001),
  // Fault injection for the crash tests: the restore SIGKILLs itself after this many steps.
  VIGIL_RESTORE_KILL_AFTER_OPS: z.coerce.number().int().min(1).optional(),
};

export interface CliEnv extends CommonEnv {
  auditKeyPath: string;
  configPath: string;
  /** Where a running worker would answer, so the CLI can show it live progress. */
  workerUrl: string;
  restoreKillAfterOps?: number;
}

/** The CLI opens the same database and key as the worker, from the same variables. */
export function loadCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const raw = parseEnv(cliShape, source);
  const common = resolveCommonEnv(raw);
  return {
    ...common,
    auditKeyPath: resolveAuditKeyPath(common.dataDir, raw),
    configPath: resolveConfigPath(raw),
    workerUrl: `http://127.0.0.1:${raw.WORKER_PORT}`,
    restoreKillAfterOps: raw.VIGIL_RESTORE_KILL_AFTER_OPS,
  };
}
