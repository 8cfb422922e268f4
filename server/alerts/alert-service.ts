import { randomUUID } from 'node:crypto';
import { unknownChannels, type AlertRule, type SilenceInput } from '@/lib/alerts/alert-rules';
import type { AlertView, RuleView, SilenceView } from '@/lib/alerts/alert-views';
import type { NotificationChannel } from '@/lib/config/notifications-config';
import { codedError } from '@/lib/errors';
import type { AuditWriter } from '../audit';
import type { Database, Db } from '../db/client';
import { alertView, createDeliveries, findAlert, listAlerts, listSilences, silenceView } from '../queries/alerts';
import type { AlertEngine } from './alert-engine';
import { alertEvent } from './alert-flush';
import { channelsOf, messagesFor, tracksAcknowledgement } from './alert-messages';
import type { AlertRuleStore } from './rule-store';

export const ALERTS_ERROR_STATUS = { alert_not_found: 404, alert_resolved: 409, silence_not_found: 404, rule_not_found: 404, unknown_channel: 422 } as const;
export class AlertsError extends codedError('AlertsError', ALERTS_ERROR_STATUS) {}

export interface AlertServiceOptions {
  /** Prisma's client is taken from it at the first operator action, not at start. */
  database: Database;
  audit: Pick<AuditWriter, 'append'>;
  rules: AlertRuleStore;
  engine: AlertEngine;
  channels: () => readonly NotificationChannel[];
}

/** What the console does to alerting: every change is audited with the operator's name. */
export class AlertService {
  constructor(private readonly options: AlertServiceOptions) {}

  private get db(): Db {
    return this.options.database.prisma;
  }

  overview(): Promise<{ alerts: AlertView[]; silences: SilenceView[]; rules: RuleView[]; channels: string[] }> {
    return Promise.all([listAlerts(this.db), listSilences(this.db)]).then(([alerts, silences]) => ({
      alerts,
      silences,
      rules: this.options.rules.views(),
      channels: this.options.channels().map((channel) => channel.name),
    }));
  }

  /** Stops repeats and news for the alert; services that track incidents (PagerDuty, Opsgenie) are told. */
  async acknowledge(input: { id: string; actor: string; comment: string }): Promise<AlertView> {
    const { db } = this;
    const row = await findAlert(db, input.id);
    if (!row) throw new AlertsError('alert_not_found', `no alert ${input.id}`);
    if (row.state === 'resolved') throw new AlertsError('alert_resolved', 'the alert is already resolved');
    if (row.state === 'acknowledged') return alertView(row);
    const now = new Date();
    const updated = await db.$transaction(async (tx) => {
      const next = await tx.alert.update({
        where: { id: row.id },
        data: {
          state: 'acknowledged',
          acknowledgedBy: input.actor,
          acknowledgedAt: now,
          ackComment: input.comment || null,
          pending: 0,
          flushAt: null,
          repeatAt: null,
        },
      });
      const rule = this.options.rules.rulesByName().get(row.rule);
      const channels = row.notifiedAt && rule ? channelsOf(rule, this.options.channels()).filter(tracksAcknowledgement) : [];
      await createDeliveries(tx, messagesFor({ row: next, status: 'acknowledged', newEvents: 0, channels, link: null }), now);
      return next;
    });
    await this.options.audit.append({
      ...alertEvent(updated, 'alert.acknowledged', 'acknowledge alert', { comment: input.comment }, input.actor),
      method: 'operator',
    });
    this.options.engine.wake();
    return alertView(updated);
  }

  async createSilence(input: SilenceInput & { actor: string }): Promise<SilenceView> {
    const now = new Date();
    const row = await this.db.alertSilence.create({
      data: {
        id: randomUUID(),
        matchers: JSON.stringify(input.matchers),
        startsAt: now,
        endsAt: new Date(now.getTime() + input.durationMinutes * 60_000),
        author: input.actor,
        comment: input.comment,
      },
    });
    const view = silenceView(row, now);
    await this.options.audit.append({
      type: 'alert.silence_created',
      severity: 'notice',
      actor: input.actor,
      action: `silence ${view.matchers.map((m) => `${m.name}=${m.value}`).join(', ')}`.slice(0, 200),
      module: 'alerts',
      resource: `silence:${row.id}`,
      reason: input.comment,
      method: 'operator',
      details: { endsAt: view.endsAt, matchers: view.matchers.map((m) => `${m.name}=${m.value}`) },
    });
    return view;
  }

  async expireSilence(input: { id: string; actor: string }): Promise<SilenceView> {
    const { db } = this;
    const row = await db.alertSilence.findUnique({ where: { id: input.id } });
    if (!row) throw new AlertsError('silence_not_found', `no silence ${input.id}`);
    const now = new Date();
    const updated = row.endsAt > now ? await db.alertSilence.update({ where: { id: row.id }, data: { endsAt: now } }) : row;
    await this.options.audit.append({
      type: 'alert.silence_expired',
      severity: 'notice',
      actor: input.actor,
      action: 'expire silence',
      module: 'alerts',
      resource: `silence:${row.id}`,
      method: 'operator',
      details: { author: row.author },
    });
    return silenceView(updated, now);
  }

  async saveRule(input: { rule: AlertRule; actor: string }): Promise<RuleView> {
    // The same check as the config file's: a rule routed to a channel nobody configured pages no one.
    const unknown = unknownChannels(
      input.rule,
      this.options.channels().map((channel) => channel.name),
    );
    if (unknown.length > 0) throw new AlertsError('unknown_channel', unknown.map(({ index, message }) => `rule.channels.${index}: ${message}`).join('; '));
    const { replaced } = await this.options.rules.save(input.rule, input.actor);
    await this.options.audit.append({
      type: replaced ? 'alert.rule_changed' : 'alert.rule_created',
      severity: 'notice',
      actor: input.actor,
      action: `${replaced ? 'change' : 'create'} alert rule ${input.rule.name}`.slice(0, 200),
      module: 'alerts',
      resource: `rule:${input.rule.name}`,
      method: 'operator',
      details: { enabled: input.rule.enabled, events: input.rule.events, channels: input.rule.channels, minSeverity: input.rule.minSeverity },
    });
    return { rule: input.rule, origin: 'console' };
  }

  async removeRule(input: { name: string; actor: string }): Promise<{ removed: string; revertedTo: 'shipped' | 'config' | null }> {
    if (!(await this.options.rules.remove(input.name))) throw new AlertsError('rule_not_found', `no rule named ${input.name} was written in the console`);
    const revertedTo = this.options.rules.views().find((view) => view.rule.name === input.name)?.origin ?? null;
    await this.options.audit.append({
      type: 'alert.rule_removed',
      severity: 'notice',
      actor: input.actor,
      action: `remove alert rule ${input.name}`.slice(0, 200),
      module: 'alerts',
      resource: `rule:${input.name}`,
      method: 'operator',
      details: { revertedTo: revertedTo ?? 'none' },
    });
    return { removed: input.name, revertedTo: revertedTo === 'console' ? null : revertedTo };
  }
}
