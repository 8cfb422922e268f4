import type pg from 'pg';
import { pgDriver } from '../db/pg-driver';
import type { ClusterMember, ClusterMessage, ClusterMessageBody, ClusterStatus, NodeRole } from '@/lib/ha/cluster-messages';
import { listClusterMembers, lockHolder } from './cluster-members';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { readSetting, writeSetting } from '../queries/settings';
import { ClusterBus } from './cluster-bus';
import { LeaderElection } from './leader-election';

const LEADER_SETTING = 'ha.leader';
/** socket.io's PostgreSQL adapter keeps payloads over NOTIFY's limit here (its documented table). */
export const SOCKET_IO_ATTACHMENTS_TABLE = 'socket_io_attachments';

interface LeaderRecord {
  nodeId: string;
  url: string;
  since: string;
}

export interface ClusterOptions {
  database: Database;
  url: string;
  nodeId: string;
  /** Where the other replicas reach this one's HTTP API. */
  advertiseUrl: string;
  log: Logger;
  checkEveryMs?: number;
  /** Takes on the leader's duties; runs at most once per process. */
  onElected: () => Promise<void>;
  /** This process must stop acting at once; it is expected to exit and come back as a standby. */
  onLost: (reason: string) => void;
  onMessage: (message: ClusterMessage) => void;
  /** A standby's bus missed notifications while it was down: read the shared state again. */
  onResync: () => void;
  /**
   * This replica's bus listens again after it was lost (leader or standby): for as long as it was
   * down the others saw this replica as absent from the cluster, and may have acted on that.
   */
  onRejoined?: () => void;
}

/**
 * Several workers on one PostgreSQL database: one leader (probes, detectors, healing,
 * schedules) and standbys (guard checks, event ingest, live clients). A standby becomes
 * leader when it can take the advisory lock; a leader that loses it stops.
 */
export class Cluster {
  private readonly bus: ClusterBus;
  private readonly election: LeaderElection;
  private currentRole: NodeRole = 'standby';
  private roleSince = new Date().toISOString();
  private leader: LeaderRecord | null = null;
  private leaderReadAt = 0;
  /** For the socket.io adapter; its own few connections, apart from Prisma's pool. */
  readonly pool: pg.Pool;
  /** What the bus sends on (one connection: its sends go one after the other anyway). */
  private readonly busPool: pg.Pool;
  readonly stats = { elections: 0 };

  constructor(private readonly options: ClusterOptions) {
    this.pool = new (pgDriver().Pool)({ connectionString: options.url, max: 4, application_name: `vigil-live ${options.nodeId}`.slice(0, 63) });
    this.pool.on('error', (error) => options.log.warn({ err: error.message }, 'live fan-out connection failed'));
    // The bus sends on a connection of its own: on the fan-out's pool, a fleet-wide isolation or a
    // command for another replica's agent queued behind every dashboard broadcast of the agents'
    // events (one NOTIFY each), seconds under load.
    this.busPool = new (pgDriver().Pool)({ connectionString: options.url, max: 1, application_name: `vigil-bus ${options.nodeId}`.slice(0, 63) });
    this.busPool.on('error', (error) => options.log.warn({ err: error.message }, 'cluster bus connection failed'));
    this.bus = new ClusterBus({
      url: options.url,
      pool: this.busPool,
      nodeId: options.nodeId,
      log: options.log,
      onMessage: (message) => this.receive(message),
      onListening: () => this.listening(),
    });
    this.election = new LeaderElection({
      url: options.url,
      nodeId: options.nodeId,
      log: options.log,
      checkEveryMs: options.checkEveryMs,
      onElected: () => void this.becomeLeader(),
      onLost: (reason) => this.stepDown(reason),
    });
  }

  get role(): NodeRole {
    return this.currentRole;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  get busStats(): ClusterBus['stats'] {
    return this.bus.stats;
  }

  /**
   * Starts hearing the others. Call it before loading the shared state: what is said between
   * the two is then held by the receiver until its state is loaded, and nothing falls between.
   * With the database down, the replica keeps trying; it never fails to start.
   */
  async listen(): Promise<void> {
    await this.ensureAttachmentsTable();
    await this.bus.start();
    // A LISTEN that only succeeds later (database down now) is followed by a resync.
    this.listenedOnce = true;
  }

  /** Enters the election; a replica that wins starts the leader's duties through `onElected`. */
  async elect(): Promise<void> {
    await this.election.start();
    if (this.currentRole === 'standby') await this.leaderUrl();
  }

  private tableTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private listenedOnce = false;

  private async ensureAttachmentsTable(): Promise<void> {
    try {
      await this.pool.query(
        `CREATE TABLE IF NOT EXISTS ${SOCKET_IO_ATTACHMENTS_TABLE} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`,
      );
    } catch {
      if (this.stopped) return;
      this.tableTimer = setTimeout(() => void this.ensureAttachmentsTable(), 2000);
      this.tableTimer.unref();
    }
  }

  private becoming: Promise<void> | null = null;
  /** Leadership lost (or its duties failed): this process never leads again. */
  private steppedDown = false;
  private elected!: () => void;
  private readonly electedPromise = new Promise<void>((resolve) => (this.elected = resolve));

  /** Resolves once this replica leads and its duties run; never, on a standby that stays one. */
  whenElected(): Promise<void> {
    return this.electedPromise;
  }

  private becomeLeader(): Promise<void> {
    this.becoming ??= (async () => {
      this.stats.elections++;
      const record: LeaderRecord = { nodeId: this.options.nodeId, url: this.options.advertiseUrl, since: new Date().toISOString() };
      this.leader = record;
      try {
        await this.options.onElected();
        if (this.steppedDown) return;
      } catch (error) {
        // Half-started duties are worse than none: this replica gives up and starts over.
        this.options.log.error({ err: (error as Error).message }, 'could not take on the leader’s duties');
        this.stepDown(`could not start the leader's duties: ${(error as Error).message}`);
        return;
      }
      this.currentRole = 'leader';
      this.roleSince = record.since;
      // Standbys forward to whoever this names, so it is written only once the duties run.
      void this.recordLeader(record);
      await this.bus.publish({ kind: 'leader', url: record.url, since: record.since });
      this.elected();
    })();
    return this.becoming;
  }

  /**
   * The listening session (re)started: a standby missed what was said before, and what a
   * leader said meanwhile may not have reached anyone either, so the state is read again.
   * The first time, the caller loads the state itself right after `listen()`.
   */
  private listening(): void {
    if (!this.listenedOnce) return;
    this.options.onRejoined?.();
    if (this.currentRole === 'leader') void this.bus.publish({ kind: 'resync' });
    else this.options.onResync();
  }

  /** From here on this replica forwards like a standby, until its process ends. */
  private stepDown(reason: string): void {
    if (this.steppedDown) return;
    this.steppedDown = true;
    this.currentRole = 'standby';
    this.roleSince = new Date().toISOString();
    this.leader = null;
    this.options.onLost(reason);
  }

  private receive(message: ClusterMessage): void {
    if (message.kind === 'leader') {
      this.leader = { nodeId: message.from, url: message.url, since: message.since };
      this.leaderReadAt = Date.now();
      this.options.log.info({ leader: message.from }, 'a new leader was elected');
    }
    this.options.onMessage(message);
  }

  publish(body: ClusterMessageBody): Promise<boolean> {
    return this.bus.publish(body);
  }

  /**
   * The leader's URL for forwarding. Who leads is read from the lock itself (at most once a
   * second), so a stale record never sends requests to a former leader; where it listens comes
   * from its announcement or, after a restart of this replica, from the record it wrote.
   */
  async leaderUrl(): Promise<string | null> {
    if (this.currentRole === 'leader') return this.options.advertiseUrl;
    if (Date.now() - this.leaderReadAt > 1000) {
      this.leaderReadAt = Date.now();
      try {
        const holder = await lockHolder(this.pool);
        if (holder === null) this.leader = null;
        else if (this.leader?.nodeId !== holder) {
          const stored = await readSetting<LeaderRecord>(this.options.database, LEADER_SETTING);
          this.leader = stored?.nodeId === holder ? stored : null;
        }
      } catch {
        // The database is not answering: keep what was known.
      }
    }
    return this.leader && this.leader.nodeId !== this.options.nodeId ? this.leader.url : null;
  }

  /** Written until it sticks: a standby that starts later finds the leader's address here. */
  private async recordLeader(record: LeaderRecord): Promise<void> {
    for (let attempt = 0; !this.stopped && !this.steppedDown; attempt++) {
      try {
        await writeSetting(this.options.database, LEADER_SETTING, record);
        return;
      } catch (error) {
        if (attempt === 0) this.options.log.warn({ err: (error as Error).message }, 'leader record not written; retrying');
        await new Promise((resolve) => setTimeout(resolve, 2000).unref());
      }
    }
  }

  /** Every live replica, as the database sees them. */
  members(): Promise<ClusterMember[]> {
    return listClusterMembers(this.pool);
  }

  status(): ClusterStatus {
    return { nodeId: this.options.nodeId, role: this.currentRole, leader: this.leader, since: this.roleSince };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tableTimer) clearTimeout(this.tableTimer);
    await this.election.stop();
    await this.bus.stop();
    await this.busPool.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
