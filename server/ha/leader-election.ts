import type pg from 'pg';
import { pgDriver } from '../db/pg-driver';
import type { Logger } from '../log';

/** One advisory-lock key for "the leader" of a Vigil database; locks are per database. */
export const LEADER_LOCK_KEY = 0x5649_4749; // "VIGI"
/** The election session's application_name prefix; the node id follows. */
export const LEADER_ELECTION_APPLICATION = 'vigil-leader-election ';

export interface LeaderElectionOptions {
  url: string;
  nodeId: string;
  log: Logger;
  /** How often a standby asks for the lock, and a leader proves its session is still alive. */
  checkEveryMs?: number;
  /** Called once, when this replica takes the lock. */
  onElected: () => void;
  /** Called once, when a leader can no longer prove it holds the lock. */
  onLost: (reason: string) => void;
}

/**
 * Leadership is a PostgreSQL session-level advisory lock held by one dedicated connection.
 * When the leader's process dies the server ends its session and frees the lock; when the
 * leader cannot reach the server, its own liveness check fails first and it steps down,
 * while the server only frees the lock once its TCP keepalives (set short below) give up.
 * That order is what keeps two leaders from acting at once.
 */
export class LeaderElection {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private lost = false;
  private stopped = false;
  private checking: Promise<void> | null = null;

  constructor(private readonly options: LeaderElectionOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Makes the first attempt before returning, so a lone replica starts as leader. */
  async start(): Promise<boolean> {
    await this.check();
    if (this.stopped) return false;
    const every = this.options.checkEveryMs ?? 1000;
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
    return this.leading;
  }

  private check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.stopped || this.lost) return;
    try {
      const client = this.client ?? (await this.connect());
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      const result = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1) AS acquired', [LEADER_LOCK_KEY]);
      if (result.rows[0]?.acquired && !this.stopped) {
        this.leading = true;
        this.options.log.info({ nodeId: this.options.nodeId }, 'elected leader');
        this.options.onElected();
      }
    } catch (error) {
      // Stop acting before giving the lock back: ending the session frees it for a standby at once.
      if (this.leading) this.lose(`the leader's database session failed: ${(error as Error).message}`);
      this.dropClient();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new (pgDriver().Client)({
      connectionString: this.options.url,
      application_name: `${LEADER_ELECTION_APPLICATION}${this.options.nodeId}`.slice(0, 63),
      keepAlive: true,
      connectionTimeoutMillis: 3000,
      // A leader that cannot prove its session within this time steps down.
      query_timeout: 2000,
    });
    client.on('error', (error) => {
      if (this.client !== client) return;
      if (this.leading) this.lose(`the leader's database session ended: ${error.message}`);
      this.dropClient();
    });
    try {
      await client.connect();
      // The server notices a vanished leader host within ~5 s and frees the lock; tcp_user_timeout
      // bounds how long unacknowledged data can keep a dead session (and its lock) alive.
      await client.query('SET tcp_keepalives_idle = 2; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3; SET tcp_user_timeout = 5000');
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      client.end().catch(() => undefined);
      throw new Error('leader election stopped');
    }
    this.client = client;
    return client;
  }

  private dropClient(): void {
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
  }

  private lose(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    this.leading = false;
    this.options.log.error({ nodeId: this.options.nodeId, reason }, 'leadership lost');
    this.options.onLost(reason);
  }

  /** Gives the lock back (ending the session frees it) so a standby can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    this.leading = false;
    await client?.end().catch(() => undefined);
  }
}
