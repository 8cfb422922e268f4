import type { AuditEventInput } from '@/lib/audit/types';
import { describeConfigProblem, type ConfigStatus } from '@/lib/config/config-status';
import type { Logger } from '../log';
import type { ConfigWatcher } from './config-file';

/**
 * Says what became of each change of the file: applied (the log), or refused and the last good
 * configuration kept (the log with every problem, and the audit trail, since a configuration
 * that would have stopped every module is a state change someone must know about).
 */
export function reportConfigReloads({
  config,
  log,
  audit,
  announce,
}: {
  config: ConfigWatcher;
  log: Logger;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  /** Tells open dashboards at once; the status lives in memory, so there is no row to wait for. */
  announce: (status: ConfigStatus) => void;
}): () => void {
  const applied = config.onChange((loaded) => {
    log.info({ file: loaded.file, modules: loaded.config.modules.length }, 'configuration reloaded');
    announce(config.status);
  });
  const rejected = config.onRejected((status) => {
    announce(status);
    for (const problem of status.problems) log.error({ file: status.file, field: problem.field, line: problem.line }, `config: ${problem.message}`);
    log.error({ file: status.file, since: status.appliedAt }, 'configuration not reloaded: the last good configuration stays in force');
    void audit
      .append({
        type: 'config.reload_rejected',
        severity: 'warning',
        actor: 'system',
        action: 'refuse the changed configuration file',
        module: 'config',
        reason: (status.error ?? 'did not validate').slice(0, 500),
        method: 'validation',
        details: { file: status.file, keptSince: status.appliedAt, problems: status.problems.slice(0, 20).map(describeConfigProblem) },
      })
      .catch((error: unknown) => log.error({ err: (error as Error).message }, 'could not audit the refused configuration'));
  });
  return () => {
    applied();
    rejected();
  };
}
