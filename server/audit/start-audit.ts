import path from 'node:path';
import type { Database } from '../db/client';
import type { WorkerEnv } from '../env/worker-env';
import type { LeaderDuties } from '../ha/leader-duties';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import { startHousekeeping } from '../worker-chores';
import { AuditIntegrity } from './audit-integrity';
import { AuditWriter } from './audit-writer';

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
  const integrity: AuditIntegrity = new AuditIntegrity({ database, env, log, audit: () => audit });
  const audit = new AuditWriter({
    database,
    spoolFile: path.join(env.dataDir, 'audit-spool.ndjson'),
    log,
    onCommitted: (events) => {
      live.emitAudit(events);
      if (isLeader()) integrity.observe(events);
    },
  });
  await audit.start();

  let checkpointing = false;
  let housekeeping: NodeJS.Timeout | undefined;
  duties.add({
    start: async () => {
      checkpointing = true;
      await integrity.start();
    },
  });
  duties.add({ start: () => void (housekeeping = startHousekeeping(database, log, integrity)), stop: () => clearInterval(housekeeping) });

  return {
    audit,
    integrity,
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
