// Shared by the notification tests: a real audit chain on SQLite, a Notifier over a given
// channel list, and incidents to notify about.
import { notificationsConfigSchema, type NotificationsConfig } from '@/lib/config/notifications-config';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { IncidentNotification, IncidentSummary, NotificationKind } from '@/lib/healing/incident';
import { AuditWriter } from '../audit';
import { capturingLogger, createMigratedDatabase, readWholeChain, type MigratedDatabase } from '../test-support';
import { Notifier } from './index';

export interface NotifierHarness {
  notifier: Notifier;
  /** Replace the channels, as a config reload would. */
  setChannels(channels: unknown[]): void;
  /** Every notification.* audit event so far, after the queues went idle. */
  events(): Promise<ChainedAuditEvent[]>;
  /** Every log line so far, as JSON text, for "no secret leaked" checks. */
  logText(): string;
  close(): Promise<void>;
}

export async function notifierHarness(channels: unknown[]): Promise<NotifierHarness> {
  const db: MigratedDatabase = await createMigratedDatabase('sqlite');
  const audit = new AuditWriter({ database: db.database, spoolFile: db.dir.join('spool.ndjson'), log: capturingLogger('silent').log });
  await audit.start();
  const { log, lines } = capturingLogger('debug');
  let config: NotificationsConfig = notificationsConfigSchema.parse({ channels });
  // Short first retry: the back-off doubles from here, jitter kept real.
  const notifier = new Notifier({ config: () => config, audit, log, retryBaseMs: 20 });
  return {
    notifier,
    setChannels(next) {
      config = notificationsConfigSchema.parse({ channels: next });
    },
    async events() {
      await notifier.idle();
      await audit.flush();
      return (await readWholeChain(db.database)).filter((event) => event.type.startsWith('notification.'));
    },
    logText: () => JSON.stringify(lines),
    async close() {
      await notifier.close();
      await audit.close();
      await db.destroy();
    },
  };
}

export function incident(over: Partial<IncidentSummary> = {}): IncidentSummary {
  return {
    id: 'inc-42',
    module: 'api',
    title: 'health check failing',
    severity: 'critical',
    failureClass: 'service_failure',
    rootCause: 'network',
    confidence: 0.8,
    state: 'open',
    escalationLevel: 3,
    openedAt: '2026-06-01T10:00:00.000Z',
    resolvedAt: null,
    affectedDependents: ['web'],
    ...over,
  };
}

export function notification(kind: NotificationKind = 'alert', over: Partial<IncidentSummary> = {}): IncidentNotification {
  return { kind, incident: incident(over), message: 'api stopped answering; 5 restarts did not help', link: 'https://vigil.example/incidents/inc-42' };
}
