import type { AlertMessage } from '@/lib/alerts/alert-message';
import type { AuditEventInput } from '@/lib/audit/types';
import type { NotificationChannel } from '@/lib/config/notifications-config';
import { backoffMs } from '@/lib/healing/recovery-plan';
import type { Db } from '../db/client';
import { DeliveryError, scrubChannelSecrets, sendAlert } from '../notify';
import { dueDeliveries, type DeliveryRow } from '../queries/alerts';

export interface DeliverInput {
  db: Db;
  channels: readonly NotificationChannel[];
  now: () => Date;
  signal: AbortSignal;
  retryBaseMs: number;
  random?: () => number;
}

const RETRY_MAX_MS = 5 * 60_000;

/**
 * Sends what the outbox holds that is due: channels side by side, each channel's messages in
 * order, one attempt per row per pass. A failure the receiver may get over is tried again
 * after its retry_after or our back-off; the row remembers attempts, so a restart goes on
 * where the crash left off. Returns audit events for deliveries that ended.
 */
export async function deliverDue(input: DeliverInput): Promise<AuditEventInput[]> {
  const rows = await dueDeliveries(input.db, input.now());
  const byChannel = new Map<string, DeliveryRow[]>();
  for (const row of rows) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row]);
  const results = await Promise.all(
    [...byChannel].map(async ([name, channelRows]) => {
      const events: AuditEventInput[] = [];
      const channel = input.channels.find((candidate) => candidate.name === name);
      for (const row of channelRows) {
        if (input.signal.aborted) break;
        const event = await deliverOne(input, row, channel);
        if (event) events.push(event);
        // A channel that refused with a wait keeps the rest of its queue waiting too, in order.
        if ((await input.db.alertDelivery.findUnique({ where: { id: row.id }, select: { state: true } }))?.state === 'pending') break;
      }
      return events;
    }),
  );
  return results.flat();
}

async function deliverOne(input: DeliverInput, row: DeliveryRow, channel: NotificationChannel | undefined): Promise<AuditEventInput | null> {
  const message = JSON.parse(row.message) as AlertMessage;
  const attempts = row.attempts + 1;
  if (!channel) return finish(input, row, message, { attempts, error: `the channel ${row.channel} is no longer configured`, channelKind: 'removed' });
  try {
    await sendAlert(channel, message, input.signal);
    return finish(input, row, message, { attempts, error: null, channelKind: channel.kind });
  } catch (caught) {
    const error = caught instanceof DeliveryError ? caught : new DeliveryError((caught as Error)?.message ?? String(caught), false);
    const text = scrubChannelSecrets(error.message, channel);
    if (input.signal.aborted) {
      // Shutting down: the row stays pending with this attempt uncounted, and the next run sends it.
      return null;
    }
    if (error.retryable && attempts <= channel.retries) {
      const wait = error.retryAfterMs ?? backoffMs({ attempt: attempts - 1, initialMs: input.retryBaseMs, maxMs: RETRY_MAX_MS, random: input.random });
      await input.db.alertDelivery.update({ where: { id: row.id }, data: { attempts, error: text, nextAttemptAt: new Date(input.now().getTime() + wait) } });
      return null;
    }
    return finish(input, row, message, { attempts, error: text, channelKind: channel.kind });
  }
}

async function finish(
  input: DeliverInput,
  row: DeliveryRow,
  message: AlertMessage,
  outcome: { attempts: number; error: string | null; channelKind: string },
): Promise<AuditEventInput> {
  const now = input.now();
  const sent = outcome.error === null;
  await input.db.alertDelivery.update({
    where: { id: row.id },
    data: { state: sent ? 'sent' : 'failed', attempts: outcome.attempts, error: outcome.error, ...(sent && { sentAt: now }) },
  });
  return {
    type: sent ? 'alert.delivered' : 'alert.delivery_failed',
    severity: sent ? 'info' : 'warning',
    actor: 'system',
    action: `${message.status} ${sent ? 'delivered to' : 'not delivered to'} ${row.channel}`.slice(0, 200),
    module: 'alerts',
    resource: `alert:${row.alertId}`,
    reason: outcome.error,
    method: outcome.channelKind,
    details: { channel: row.channel, delivery: row.id, status: message.status, attempts: outcome.attempts },
  };
}
