import type { DefenseService } from '../defense';
import type { LeaderDuties } from '../ha/leader-duties';
import type { LiveEmitter } from '../live/live-outlet';
import { lockdownOnCriticalTamper, startWatchers, type Watchers, type WatchersOptions } from '../watchers';

export interface IntegrityDeps extends Pick<WatchersOptions, 'env' | 'config' | 'audit' | 'database' | 'log' | 'router'> {
  live: Pick<LiveEmitter, 'emitIntegrityFinding'>;
  defense: DefenseService;
  duties: LeaderDuties;
}

/** File integrity and the log tailer: both follow files on disk, on the leader only. */
export function startIntegrity({ env, config, audit, database, log, router, live, defense, duties }: IntegrityDeps) {
  let watchers: Watchers | null = null;
  const stop = () => watchers?.stop();
  duties.add({
    start: async () => {
      watchers = await startWatchers({
        env,
        config,
        audit,
        database,
        log,
        router,
        live: () => live,
        signals: defense.sink,
        onCriticalTamper: lockdownOnCriticalTamper(defense, log),
      });
    },
    stop,
  });
  return {
    /** Null until this replica leads. */
    watchers: () => watchers,
    stop,
  };
}
