import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { AuditWriter } from '../audit';
import type { ConfigWatcher } from '../config/config-file';
import type { Database } from '../db/client';
import type { LeaderDuties } from '../ha/leader-duties';
import { registerAlertRoutes } from '../http/routes/alerts-routes';
import type { Router } from '../http/router';
import type { Logger } from '../log';
import { AlertEngine } from './alert-engine';
import { AlertService } from './alert-service';
import { AlertRuleStore } from './rule-store';

export interface AlertsDeps {
  database: Database;
  audit: AuditWriter;
  onCommitted: (listener: (events: ChainedAuditEvent[]) => void) => () => void;
  config: ConfigWatcher;
  log: Logger;
  duties: LeaderDuties;
  router: Router;
}

/** Alert rules over the committed audit chain; the leader folds events and delivers. */
export async function startAlerts({ database, audit, onCommitted, config, log, duties, router }: AlertsDeps) {
  const channels = () => config.loaded.config.notifications.channels;
  const rules = new AlertRuleStore({ database, config: () => config.loaded.config.alerts, log });
  await rules.load();
  const engine = new AlertEngine({ database, audit, log, rules, channels });
  const alerts = new AlertService({ database, audit, rules, engine, channels });
  registerAlertRoutes(router, { alerts });
  let unsubscribe: (() => void) | null = null;
  duties.add({
    start: async () => {
      await engine.start();
      unsubscribe = onCommitted(engine.wake);
    },
    stop: async () => {
      unsubscribe?.();
      await engine.stop();
    },
  });
  return {
    alerts,
    engine,
    stop: async () => {
      unsubscribe?.();
      await engine.stop();
    },
  };
}
