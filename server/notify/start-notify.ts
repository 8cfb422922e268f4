import type { ConfigWatcher } from '../config/config-file';
import type { Logger } from '../log';
import { Notifier, type NotifierOptions } from './notifier';

/** Channels (webhook, email, Alertmanager) for what people must hear about. */
export function startNotify({ config, audit, log }: { config: ConfigWatcher; audit: NotifierOptions['audit']; log: Logger }) {
  const notifier = new Notifier({ config: () => config.loaded.config.notifications, audit, log });
  return { notifier, close: () => notifier.close() };
}
