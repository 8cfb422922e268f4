import path from 'node:path';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { Database } from '../db/client';
import type { WorkerEnv } from '../env/worker-env';
import type { LeaderDuties } from '../ha/leader-duties';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import { startHousekeeping } from '../worker-chores';
import { AuditIntegrity } from './audit-integrity';
import { AuditWriter } from './audit-writer';
import { uncleanStopEvent } from './unclean-stop';

export interface AuditDeps {
  env: WorkerEnv;
  database: Database;
  log: Logger;
  live: Pick<LiveEmitter, 'emitAudit'>;
  /** Checkpoints are the leader's; a standby's ingest commits are in the chain it signs. */
  isLeader: () => boolean;
  duties: LeaderDuties;
}

/** The audit chain (the worker is its only writer) and, on the leader, its checkpoints, verification and retention. */
export async function startAudit({ env, database, log, live, isLeader, duties }: AuditDeps) {
  // The two need each other: the writer hands commits to the checkpointer, which appends its own events.
  // Others that act on committed events (alerting) subscribe here; they never see an event before its commit.
  const committedListeners = new Set<(events: ChainedAuditEvent[]) => void>();
  const integrity: AuditIntegrity = new AuditIntegrity({ database, env, log, audit: () => audit });
  const announce = (events: ChainedAuditEvent[]) => {
    live.emitAudit(events);
    if (isLeader()) integrity.observe(events);
    for (const listener of committedListeners) listener(events);
  };
  const audit = new AuditWriter({ database, spoolFile: path.join(env.dataDir, 'audit-spool.ndjson'), log, onCommitted: announce });
  await audit.start();
  // Before this run's worker.started: the newest start without a stop is the previous run's.
  // A database that cannot be read now must not stop the worker from starting degraded: the
  // check is skipped (and said so), the events themselves still reach the spool.
  const unclean = await uncleanStopEvent(database, { node: env.ha ? env.nodeId : null }).catch((error: unknown) => {
    log.warn({ err: error }, 'could not tell whether the previous run stopped cleanly: the database cannot be read');
    return null;
  });
  if (unclean) await audit.append(unclean);

  let checkpointing = false;
  let housekeeping: NodeJS.Timeout | undefined;
  duties.add({
    start: async () => {
      checkpointing = true;
      await integrity.start();
    },
  });
  duties.add({ start: () => void (housekeeping = startHousekeeping(database, log, integrity, env)), stop: () => clearInterval(housekeeping) });

  return {
    audit,
    integrity,
    /** For events committed beside the writer (agents' events, in their own transactions): announced as its own are. */
    announce,
    onCommitted: (listener: (events: ChainedAuditEvent[]) => void) => {
      committedListeners.add(listener);
      return () => committedListeners.delete(listener);
    },
    stop: () => clearInterval(housekeeping),
    /** The last event of a run: after everything else stopped acting, before anything lets go. */
    recordStop: (reason: string) =>
      audit
        .append({
          type: 'worker.stopped',
          severity: 'info',
          actor: 'system',
          action: 'stop worker',
          module: 'worker',
          reason,
          method: 'process',
          details: { pid: process.pid },
        })
        .catch(() => undefined),
    close: async () => {
      await audit.close();
      if (checkpointing) await integrity.stop();
    },
  };
}
