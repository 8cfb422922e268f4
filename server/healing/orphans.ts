import type { Finding } from '@/lib/healing/diagnosis';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Logger } from '../log';
import { liveGroupMembers, readProcStat, terminateGroup } from './process-group';
import { supervisedElsewhere, type ProcessRecords, type ProcessRecord } from './process-records';

export interface StoppedOrphan {
  record: ProcessRecord;
  /** The signal that ended the group: TERM when it stopped in its grace period. */
  signal: 'SIGTERM' | 'SIGKILL';
  at: number;
}

/**
 * Why orphans are stopped rather than adopted: a process whose worker died keeps running, but
 * its stdout and stderr went to pipes nobody reads any more (its logs are lost, and a write
 * may block it or kill it with SIGPIPE), and no exit of a process that is not our child can be
 * awaited. Stopping its whole group and respawning it gives a process the new worker owns in
 * every way, for a second or two of downtime, and frees its port before the respawn.
 */
type OrphanContext = { records: ProcessRecords; graceMs: number; log: Logger; audit: { append(input: AuditEventInput): Promise<unknown> } };

async function stopOrphan(record: ProcessRecord, { records, graceMs, log, audit }: OrphanContext): Promise<StoppedOrphan | null> {
  if (supervisedElsewhere(record)) {
    log.warn({ module: record.module, pid: record.pid, worker: record.worker.pid }, 'a supervised process of another running worker: left alone');
    return null;
  }
  const leader = readProcStat(record.pid);
  const ours = leader !== null && leader.startTime === record.startTime && leader.pgrp === record.pgid;
  // With its leader gone the group's id cannot have been handed out again while members are left:
  // they are what the process started (a shell script's children) and still hold what it held.
  const leftovers = leader === null && liveGroupMembers(record.pgid).length > 0;
  let stopped: StoppedOrphan | null = null;
  if (ours || leftovers) {
    const signal = await terminateGroup(record.pgid, graceMs);
    if (signal !== 'none') {
      stopped = { record, signal, at: Date.now() };
      log.warn({ module: record.module, pid: record.pid, pgid: record.pgid, signal }, 'stopped a supervised process left running by a worker that died');
      await audit
        .append({
          type: 'module.orphan_stopped',
          severity: 'warning',
          actor: 'healing',
          action: `stop ${record.module}'s unsupervised process`,
          module: record.module,
          reason: `its worker (pid ${record.worker.pid}) died and left it running without supervision`,
          method: signal,
          details: { pid: record.pid, pgid: record.pgid, startedAt: record.startedAt, command: record.command.join(' ').slice(0, 500) },
        })
        .catch(() => undefined);
    }
  } else if (leader !== null) {
    log.info({ module: record.module, pid: record.pid }, 'the recorded pid belongs to another process now: left alone');
  }
  records.remove(record.module);
  return stopped;
}

/** All at once: one orphan that ignores SIGTERM must not hold the others' respawns for its grace period. */
export async function stopOrphans(context: OrphanContext): Promise<StoppedOrphan[]> {
  const stopped = await Promise.all(context.records.list().map((record) => stopOrphan(record, context)));
  return stopped.filter((orphan) => orphan !== null);
}

/** What the incident of a module whose orphan was stopped says happened. */
export function orphanFinding(orphan: StoppedOrphan): Finding {
  const { record, signal } = orphan;
  return {
    kind: 'supervisor_lost',
    message: `the worker supervising it (pid ${record.worker.pid}) died; its process (pid ${record.pid}) ran on unsupervised and was stopped (${signal}) to be respawned`,
    evidence: { pid: record.pid, pgid: record.pgid, worker: record.worker.pid, signal, startedAt: record.startedAt },
  };
}
