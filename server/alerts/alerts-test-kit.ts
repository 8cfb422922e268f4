// Shared by the alerting tests: a real audit chain on SQLite wired to a real AlertEngine, as the
// worker wires them (the engine wakes on each commit), over channels and rules the test gives.
import { alertsConfigSchema, type AlertsConfig } from '@/lib/alerts/alert-rules';
import type { AuditEventInput, ChainedAuditEvent } from '@/lib/audit/types';
import { notificationsConfigSchema, type NotificationChannel } from '@/lib/config/notifications-config';
import { AuditWriter } from '../audit';
import { capturingLogger, createMigratedDatabase, readWholeChain, type MigratedDatabase } from '../test-support';
import { AlertEngine } from './alert-engine';
import { AlertService } from './alert-service';
import { AlertRuleStore } from './rule-store';

export interface AlertsHarness {
  db: MigratedDatabase;
  audit: AuditWriter;
  engine: AlertEngine;
  service: AlertService;
  rules: AlertRuleStore;
  append(event: Partial<AuditEventInput> & { type: string }): Promise<void>;
  /** A new engine over the same database, as after a crash and restart. */
  restartEngine(): Promise<void>;
  setChannels(channels: unknown[]): void;
  events(prefix?: string): Promise<ChainedAuditEvent[]>;
  logText(): string;
  close(): Promise<void>;
}

/** `now`: the engine's clock; a test that holds it decides when a group wait or interval is over. */
export async function alertsHarness(input: { channels: unknown[]; alerts?: unknown; existing?: MigratedDatabase; now?: () => number }): Promise<AlertsHarness> {
  const db = input.existing ?? (await createMigratedDatabase('sqlite'));
  let engineRef: AlertEngine | null = null;
  const audit = new AuditWriter({
    database: db.database,
    spoolFile: db.dir.join('spool.ndjson'),
    log: capturingLogger('silent').log,
    onCommitted: () => engineRef?.wake(),
  });
  await audit.start();
  const { log, lines } = capturingLogger('debug');
  let channels: NotificationChannel[] = notificationsConfigSchema.parse({ channels: input.channels }).channels;
  const alertsConfig: AlertsConfig = alertsConfigSchema.parse(input.alerts ?? {});
  // The database itself, as the worker gives it: idle reads on the driver, the rest through Prisma.
  const { database } = db;
  const rules = new AlertRuleStore({ database, config: () => alertsConfig, log });
  await rules.load();
  const build = () =>
    new AlertEngine({ database, audit, log, rules, channels: () => channels, retryBaseMs: 20, idleMs: 200, localHost: 'test-host', now: input.now });
  let engine = build();
  const service = () => new AlertService({ database, audit, rules, engine, channels: () => channels });
  let alertService = service();
  await engine.start();
  engineRef = engine;
  const harness: AlertsHarness = {
    db,
    audit,
    get engine() {
      return engine;
    },
    get service() {
      return alertService;
    },
    rules,
    async append(event) {
      await audit.append({ severity: 'info', actor: 'system', action: event.type, ...event });
      await audit.flush();
    },
    async restartEngine() {
      await engine.stop();
      engine = build();
      alertService = service();
      await engine.start();
      engineRef = engine;
    },
    setChannels(next) {
      channels = notificationsConfigSchema.parse({ channels: next }).channels;
    },
    async events(prefix = 'alert.') {
      await audit.flush();
      return (await readWholeChain(db.database)).filter((event) => event.type.startsWith(prefix));
    },
    logText: () => JSON.stringify(lines),
    async close() {
      engineRef = null;
      await engine.stop();
      await audit.close();
      if (!input.existing) await db.destroy();
    },
  };
  return harness;
}
