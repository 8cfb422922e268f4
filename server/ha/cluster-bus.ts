import type pg from 'pg';
import { pgDriver } from '../db/pg-driver';
import { clusterMessageSchema, NOTIFY_PAYLOAD_LIMIT, type ClusterMessage, type ClusterMessageBody } from '@/lib/ha/cluster-messages';
import type { Logger } from '../log';

export const CLUSTER_CHANNEL = 'vigil_cluster';
/** The listening session's application_name prefix; the node id follows. */
export const CLUSTER_CHANNEL_APPLICATION = 'vigil-cluster ';

export interface ClusterBusOptions {
  url: string;
  /** Sends go through a pool: the listening session must never queue queries behind each other. */
  pool: pg.Pool;
  nodeId: string;
  log: Logger;
  onMessage: (message: ClusterMessage) => void;
  /**
   * After every LISTEN that took, the first included: whatever was said before it (or while the
   * session was down) was not heard, so the state is read again.
   */
  onListening?: () => void;
  reconnectMs?: number;
}

/**
 * LISTEN/NOTIFY between replicas on one dedicated session. Notifications are not stored:
 * a replica that was not listening missed them, which is why every reconnect ends in a
 * resync from the database, and why nothing that must survive travels only this way.
 */
export class ClusterBus {
  private client: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** One send at a time: notifications from one sender must arrive in the order they were made. */
  private sending: Promise<unknown> = Promise.resolve();
  private resyncTimer: NodeJS.Timeout | null = null;
  readonly stats = { sent: 0, received: 0, rejected: 0, unsent: 0 };

  constructor(private readonly options: ClusterBusOptions) {}

  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new (pgDriver().Client)({
      connectionString: this.options.url,
      application_name: `${CLUSTER_CHANNEL_APPLICATION}${this.options.nodeId}`.slice(0, 63),
      keepAlive: true,
      connectionTimeoutMillis: 3000,
    });
    client.on('notification', (notification) => this.receive(notification.payload));
    client.on('error', (error) => {
      this.options.log.warn({ err: error.message }, 'cluster bus session failed');
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CLUSTER_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message }, 'cluster bus could not listen; retrying');
      client.end().catch(() => undefined);
      this.scheduleReconnect();
      return;
    }
    this.client = client;
    this.options.onListening?.();
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, this.options.reconnectMs ?? 1000);
    this.reconnectTimer.unref();
  }

  private receive(payload: string | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload ?? '');
    } catch {
      parsed = undefined;
    }
    const result = clusterMessageSchema.safeParse(parsed);
    if (!result.success) {
      this.stats.rejected++;
      this.options.log.warn({ channel: CLUSTER_CHANNEL }, 'ignored a malformed cluster message');
      return;
    }
    if (result.data.from === this.options.nodeId) return;
    this.stats.received++;
    try {
      this.options.onMessage(result.data);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message, kind: result.data.kind }, 'cluster message could not be applied');
    }
  }

  /**
   * Sends to every other replica. A message over NOTIFY's limit is replaced by a resync;
   * one that cannot be sent is counted (a receiver that missed it catches up at its next
   * resync; the sender publishes one itself once its own session is back).
   */
  publish(body: ClusterMessageBody): Promise<boolean> {
    let payload = JSON.stringify({ ...body, from: this.options.nodeId });
    if (Buffer.byteLength(payload) > NOTIFY_PAYLOAD_LIMIT) payload = JSON.stringify({ kind: 'resync', from: this.options.nodeId });
    const sent = this.sending.then(() => this.send(payload, body.kind));
    this.sending = sent;
    return sent;
  }

  private async send(payload: string, kind: string): Promise<boolean> {
    try {
      await this.options.pool.query('SELECT pg_notify($1, $2)', [CLUSTER_CHANNEL, payload]);
      this.stats.sent++;
      return true;
    } catch (error) {
      this.stats.unsent++;
      this.options.log.warn({ err: (error as Error).message, kind }, 'cluster message not sent');
      // Folded signals are only counts; anything else was state the others now lack.
      if (kind !== 'signals' && kind !== 'fleet-counts') this.owe();
      return false;
    }
  }

  /** Keeps offering a resync until one goes out, so a lost decision is made good. */
  private owe(): void {
    if (this.resyncTimer || this.stopped) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      void this.publish({ kind: 'resync' });
    }, this.options.reconnectMs ?? 1000);
    this.resyncTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    await this.sending.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
