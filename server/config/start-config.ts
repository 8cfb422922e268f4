import type { AuditEventInput } from '@/lib/audit/types';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import type { ConfigWatcher } from './config-file';
import { reportConfigReloads } from './config-reporting';

/** Follows the configuration file from now on; each reload is audited and announced. */
export function startConfig({
  config,
  log,
  audit,
  live,
  isLeader,
}: {
  config: ConfigWatcher;
  log: Logger;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  live: Pick<LiveEmitter, 'emitConfigStatus'>;
  isLeader: () => boolean;
}) {
  // Only the leader announces: every replica's dashboards then show the status the operator API answers with.
  reportConfigReloads({
    config,
    log,
    audit,
    announce: (status) => {
      if (isLeader()) live.emitConfigStatus(status);
    },
  });
  config.start();
  return { config, stop: () => config.stop() };
}
