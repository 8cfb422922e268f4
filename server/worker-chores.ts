import type { AuditWriter } from './audit';
import type { AuditIntegrity } from './audit/audit-integrity';
import type { Database } from './db/client';
import { dbErrorMessage } from './db/db-error';
import { foreignCheckpointKey } from './ha';
import type { Logger } from './log';
import { pruneAlertHistory, pruneStatusPosts } from './queries/history-retention';
import { deleteExpiredSessions } from './queries/sessions';

const HOUSEKEEPING_EVERY_MS = 3_600_000;

/** How long ended alert and status-page history is kept; 0 keeps it forever. */
export interface HistoryRetention {
  alertRetentionMs: number;
  statusPostRetentionMs: number;
}

/** Removes alert and status-page history past its retention, by Vigil's own clock; answers what went. */
export async function pruneHistory(
  database: Database,
  retention: HistoryRetention,
  now: Date,
): Promise<{ alerts: number; deliveries: number; statusPosts: number }> {
  const alerts =
    retention.alertRetentionMs > 0 ? await pruneAlertHistory(database, new Date(now.getTime() - retention.alertRetentionMs)) : { alerts: 0, deliveries: 0 };
  const statusPosts = retention.statusPostRetentionMs > 0 ? await pruneStatusPosts(database, new Date(now.getTime() - retention.statusPostRetentionMs)) : 0;
  return { ...alerts, statusPosts };
}

/** Hourly chores that belong to no capability: ended sessions are removed, old audit events, alerts and status posts pruned. */
export function startHousekeeping(database: Database, log: Logger, integrity: AuditIntegrity, retention: HistoryRetention): NodeJS.Timeout {
  const run = () => {
    void deleteExpiredSessions(database, new Date())
      .then((removed) => removed > 0 && log.info({ removed }, 'removed expired sessions'))
      .catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, 'session clean-up failed'));
    void integrity.prune().catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, 'audit retention failed'));
    void pruneHistory(database, retention, new Date())
      .then((pruned) => pruned.alerts + pruned.deliveries + pruned.statusPosts > 0 && log.info(pruned, 'pruned alert and status-page history past retention'))
      .catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, 'alert and status-page retention failed'));
  };
  run();
  const timer = setInterval(() => void run(), HOUSEKEEPING_EVERY_MS);
  timer.unref();
  return timer;
}

/** A leader whose signing key differs from the chain's last checkpoint would sign checkpoints no other replica verifies. */
export async function warnOfForeignKey(database: Database, integrity: AuditIntegrity, audit: AuditWriter, log: Logger): Promise<void> {
  const foreign = await foreignCheckpointKey(database.prisma, integrity.key.keyId).catch(() => null);
  if (!foreign) return;
  const reason = `the chain's latest checkpoint was signed with key ${foreign}, this replica holds ${integrity.key.keyId}; give every replica the same VIGIL_AUDIT_KEY_PATH file`;
  log.error({ foreign, own: integrity.key.keyId }, reason);
  await audit
    .append({
      type: 'cluster.signing_key_mismatch',
      severity: 'high',
      actor: 'system',
      action: 'compare audit signing keys',
      module: 'cluster',
      reason,
      method: 'election',
    })
    .catch(() => undefined);
}
