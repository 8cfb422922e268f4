import path from 'node:path';
import type { AuditEventInput } from '@/lib/audit/types';
import type { EditableSection } from '@/lib/settings/editable-sections';
import type { ConfigWatcher } from '../config/config-file';
import type { Database } from '../db/client';
import { registerSettingsRoutes } from '../http/routes/settings-routes';
import type { Router } from '../http/router';
import type { Logger } from '../log';
import type { Notifier } from '../notify';
import { ConsoleSettings } from './console-settings';
import { SettingsSeal } from './settings-seal';

/**
 * Config sections set in the console, put in force before the capabilities that read them start
 * (right after the database and audit), so a worker starts with what the admin last saved.
 */
export async function startSettings({
  database,
  secret,
  config,
  audit,
  log,
  router,
  paths,
  ha,
}: {
  database: Database;
  secret: string;
  paths: { dataDir: string; configFile: string };
  /** Several workers: a section saved on one is announced, and one announced elsewhere is read again here. */
  ha: { publish(message: { kind: 'settings'; section: EditableSection }): void; followSettings(reload: () => Promise<void>): void };
  config: ConfigWatcher;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  log: Logger;
  router: Router;
}) {
  const settings = new ConsoleSettings({
    store: database,
    config,
    seal: new SettingsSeal(secret),
    audit,
    log,
    paths: { dataDir: paths.dataDir, configDir: path.dirname(paths.configFile) },
    announce: (section) => ha.publish({ kind: 'settings', section }),
  });
  ha.followSettings(() => settings.reload());
  await settings.load().catch((error: unknown) => {
    // The file's sections apply meanwhile: a database that cannot be read now must not stop the start.
    log.error({ err: error }, "the console's config sections cannot be read; the file's apply");
  });
  return {
    settings,
    /** The channel test needs the notifier, which starts after the sections are in force. */
    registerRoutes: (notifier: Pick<Notifier, 'test'>) => registerSettingsRoutes(router, { settings, notifier }),
  };
}
