import { auditKeyEnvShape, resolveAuditKeyPath } from './audit-env';
import { commonEnvShape, parseEnv, resolveCommonEnv, type CommonEnv } from './common';

const cliShape = { ...commonEnvShape, ...auditKeyEnvShape };

export interface CliEnv extends CommonEnv {
  auditKeyPath: string;
}

/** The CLI opens the same database and key as the worker, from the same variables. */
export function loadCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const raw = parseEnv(cliShape, source);
  const common = resolveCommonEnv(raw);
  return { ...common, auditKeyPath: resolveAuditKeyPath(common.dataDir, raw) };
}
