import { setTimeout as sleep } from 'node:timers/promises';
import type { NotificationChannel, NotificationsConfig } from '@/lib/config/notifications-config';
import { backoffMs } from '@/lib/healing/recovery-plan';
import type { IncidentNotification, IncidentSummary, NotificationKind } from '@/lib/healing/incident';
import type { AuditWriter } from '../audit';
import type { Logger } from '../log';
import { ChannelQueue } from './channel-queue';
import { channelTarget, deliveryEvent, droppedEvent, scrubSecrets, type DeliveryOutcome } from './notification-events';
import { DeliveryError, newDeliveryId, send } from './senders';

export type AuditSink = Pick<AuditWriter, 'append'>;

export interface NotifierOptions {
  /** The `notifications` config section, read at every use so a reloaded file applies at once. */
  config: () => NotificationsConfig;
  audit: AuditSink;
  log: Logger;
  /** First retry delay; it doubles per attempt up to 30 s, with jitter. */
  retryBaseMs?: number;
  random?: () => number;
}

export interface TestResult {
  code: 'sent' | 'failed' | 'not_found';
  attempts: number;
  /** Why it failed, with secrets removed; null when sent. */
  error: string | null;
}

/** What the console may show about a channel: nothing here is a secret. */
export interface ChannelSummary {
  name: string;
  kind: NotificationChannel['kind'];
  target: string;
  minLevel: number;
  kinds: NotificationKind[] | null;
  queued: number;
}

interface QueuedDelivery {
  channel: string;
  notification: IncidentNotification;
  deliveryId: string;
}

const RETRY_MAX_MS = 30_000;

export const channelTakes = (channel: NotificationChannel, notification: IncidentNotification): boolean =>
  notification.incident.escalationLevel >= channel.minLevel && (!channel.kinds || channel.kinds.includes(notification.kind));

/**
 * Fans notifications out to the configured channels. Each channel has its own capped queue
 * and delivers one at a time, so a slow or dead receiver delays only itself. Every delivery,
 * failure and drop is an audit event. Nothing here throws to the caller.
 */
export class Notifier {
  private readonly queues = new Map<string, ChannelQueue<QueuedDelivery>>();
  private readonly closing = new AbortController();

  constructor(private readonly options: NotifierOptions) {}

  /** Queues the notification for every channel whose level and kind filter take it; returns at once. */
  notify(notification: IncidentNotification): void {
    if (this.closing.signal.aborted) return;
    try {
      const channels = this.options.config().channels;
      // A copy: the engine goes on changing its incident while this one waits in a queue.
      const snapshot = structuredClone(notification);
      this.forgetRemovedChannels(channels);
      for (const channel of channels) {
        if (channelTakes(channel, notification))
          this.queueFor(channel.name).push({ channel: channel.name, notification: snapshot, deliveryId: newDeliveryId() });
      }
    } catch (error) {
      this.options.log.error({ err: error, incident: notification.incident?.id }, 'could not queue a notification');
    }
  }

  /** The console's "send test notification": one attempt, no queue, no filter; audited as the operator's action. */
  async test(input: { channel: string; actor: string; link?: string }): Promise<TestResult> {
    const channel = this.findChannel(input.channel);
    if (!channel) return { code: 'not_found', attempts: 0, error: `no notification channel named ${input.channel}` };
    const notification: IncidentNotification = {
      kind: 'alert',
      incident: testIncident(),
      message: 'This is a test notification from Vigil. No action is needed.',
      link: input.link,
      test: true,
    };
    const deliveryId = newDeliveryId();
    const { attempts, error } = await this.attempt(channel, { channel: channel.name, notification, deliveryId }, 0);
    await this.record({ channel, notification, deliveryId, attempts, error, actor: input.actor });
    return { code: error === null ? 'sent' : 'failed', attempts, error: error === null ? null : scrubSecrets(error, channel) };
  }

  channels(): ChannelSummary[] {
    return this.options.config().channels.map((channel) => ({
      name: channel.name,
      kind: channel.kind,
      target: channelTarget(channel),
      minLevel: channel.minLevel,
      kinds: channel.kinds ?? null,
      queued: this.queues.get(channel.name)?.size ?? 0,
    }));
  }

  /** Resolves when every queue is empty and nothing is being delivered. */
  async idle(): Promise<void> {
    while ([...this.queues.values()].some((queue) => queue.busy)) await Promise.all([...this.queues.values()].map((queue) => queue.idle()));
  }

  /** Cancels deliveries in flight and drops what still waits (each drop audited); call before closing the audit writer. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const queue of this.queues.values()) for (const item of queue.clear()) this.dropped(item, 'the worker is shutting down');
    await this.idle();
  }

  private findChannel(name: string): NotificationChannel | undefined {
    try {
      return this.options.config().channels.find((channel) => channel.name === name);
    } catch {
      return undefined;
    }
  }

  private queueFor(name: string): ChannelQueue<QueuedDelivery> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new ChannelQueue<QueuedDelivery>({
        capacity: () => this.findChannel(name)?.queueSize ?? 1,
        deliver: (item) => this.deliver(item),
        onDrop: (item) => this.dropped(item, `the queue for ${name} is full: the oldest waiting notification was dropped`),
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private forgetRemovedChannels(channels: NotificationChannel[]): void {
    const names = new Set(channels.map((channel) => channel.name));
    for (const [name, queue] of this.queues) if (!names.has(name) && !queue.busy) this.queues.delete(name);
  }

  private async deliver(item: QueuedDelivery): Promise<void> {
    const channel = this.findChannel(item.channel);
    if (!channel) {
      this.options.log.warn({ channel: item.channel, incident: item.notification.incident.id }, 'notification channel was removed before delivery');
      return;
    }
    const { attempts, error } = await this.attempt(channel, item, channel.retries);
    await this.record({ channel, notification: item.notification, deliveryId: item.deliveryId, attempts, error, actor: 'system' });
  }

  /** The first attempt plus up to `retries` more, for failures that may pass on a later try. */
  private async attempt(channel: NotificationChannel, item: QueuedDelivery, retries: number): Promise<{ attempts: number; error: string | null }> {
    const signal = this.closing.signal;
    for (let attempt = 1; ; attempt++) {
      try {
        await send(channel, { notification: item.notification, deliveryId: item.deliveryId, signal });
        return { attempts: attempt, error: null };
      } catch (caught) {
        const error = caught instanceof DeliveryError ? caught : new DeliveryError((caught as Error)?.message ?? String(caught), false);
        if (!error.retryable || attempt > retries || signal.aborted) return { attempts: attempt, error: error.message };
        // A receiver that said when to come back (a 429's retry_after) is believed over our own back-off.
        const delay =
          error.retryAfterMs ??
          backoffMs({ attempt: attempt - 1, initialMs: this.options.retryBaseMs ?? 1000, maxMs: RETRY_MAX_MS, random: this.options.random });
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async record(outcome: DeliveryOutcome): Promise<void> {
    const { channel, notification } = outcome;
    const context = { channel: channel.name, kind: notification.kind, incident: notification.incident.id, attempts: outcome.attempts };
    if (outcome.error !== null) this.options.log.warn({ ...context, error: scrubSecrets(outcome.error, channel) }, 'notification failed');
    try {
      await this.options.audit.append(deliveryEvent(outcome));
    } catch (error) {
      this.options.log.error({ err: error, ...context }, 'could not audit a notification delivery');
    }
  }

  private dropped(item: QueuedDelivery, why: string): void {
    const channel = this.findChannel(item.channel);
    this.options.log.warn({ channel: item.channel, incident: item.notification.incident.id, why }, 'notification dropped');
    if (!channel) return;
    this.options.audit.append(droppedEvent({ channel, notification: item.notification, deliveryId: item.deliveryId, why })).catch((error: unknown) => {
      this.options.log.error({ err: error, channel: item.channel }, 'could not audit a dropped notification');
    });
  }
}

function testIncident(): IncidentSummary {
  const now = new Date().toISOString();
  return {
    id: 'test',
    module: 'vigil',
    title: 'Test notification',
    severity: 'warning',
    failureClass: 'transient',
    rootCause: null,
    confidence: 0,
    state: 'open',
    escalationLevel: 3,
    openedAt: now,
    resolvedAt: null,
    affectedDependents: [],
  };
}
