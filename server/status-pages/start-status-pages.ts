import type { AuditWriter } from '../audit';
import type { ConfigWatcher } from '../config/config-file';
import type { Database } from '../db/client';
import type { HealingService } from '../healing';
import { registerStatusPageRoutes } from '../http/routes/status-page-routes';
import type { Router } from '../http/router';
import type { Logger } from '../log';
import { StatusPageService } from './status-page-service';

export interface StatusPagesDeps {
  database: Database;
  config: ConfigWatcher;
  audit: AuditWriter;
  log: Logger;
  healing: Pick<HealingService, 'engine'>;
  router: Router;
}

/** Public status pages: declared in the config file or the console, read by the web app for visitors. */
export async function startStatusPages({ database, config, audit, log, healing, router }: StatusPagesDeps) {
  const statusPages = new StatusPageService({
    database,
    audit,
    log,
    configPages: () => config.loaded.config.statusPages,
    moduleStates: async () => new Map(healing.engine.list().map((m) => [m.name, m.state])),
  });
  await statusPages.load();
  registerStatusPageRoutes(router, { statusPages });
  return { statusPages };
}
