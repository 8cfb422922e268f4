import type { Database } from '../db/client';
import { dbErrorMessage } from '../db/db-error';
import type { Logger } from '../log';
import { nodesHoldingHosts, releaseHostsOfGoneReplicas } from '../queries/hosts';
import type { AuditWriter } from '../audit';
import type { LeaderDuties } from '../ha/leader-duties';
import { FleetConnectionAudit } from './fleet-connection-audit';

/** How often the leader looks for replicas that are gone. */
export const GONE_REPLICA_SWEEP_MS = 2000;
/**
 * How long a replica must be missing from the cluster before its hosts are marked away: its bus
 * session reconnects within a few seconds (a second between attempts, three to connect), and a
 * host marked away under a live replica would stay so until its agent's next heartbeat.
 */
export const GONE_AFTER_MS = 10_000;

export interface GoneReplicaSweepDeps {
  database: Database;
  /** The node ids of the replicas alive now, from PostgreSQL's own sessions. */
  liveNodes: () => Promise<string[]>;
  connections: Pick<FleetConnectionAudit, 'disconnected'>;
  onHostChanged?: (hostId: number) => void;
  log: Logger;
  everyMs?: number;
  goneAfterMs?: number;
}

/**
 * A replica killed outright closes none of its agents' connections in the database: their hosts
 * would show as connected until each agent said hello elsewhere, and forever for one that does not
 * come back. The leader sweeps them: a replica absent from the cluster for `GONE_AFTER_MS` (a short
 * absence may be its bus reconnecting) has its hosts marked away and each disconnect recorded once.
 */
export class GoneReplicaSweep {
  private timer: NodeJS.Timeout | null = null;
  /** Each node found missing, with when it was first. */
  private missing = new Map<string, number>();
  private sweeping: Promise<void> | null = null;

  constructor(private readonly deps: GoneReplicaSweepDeps) {}

  start(): void {
    if (this.timer) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.deps.everyMs ?? GONE_REPLICA_SWEEP_MS);
    this.timer.unref();
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.sweeping ?? Promise.resolve();
  }

  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error: unknown) => this.deps.log.warn({ err: dbErrorMessage(error) }, 'could not sweep the hosts of gone console replicas'))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const { database, connections, onHostChanged, log } = this.deps;
    const live = new Set(await this.deps.liveNodes());
    const missing = (await nodesHoldingHosts(database.prisma)).filter((node) => !live.has(node));
    const now = Date.now();
    this.missing = new Map(missing.map((node) => [node, this.missing.get(node) ?? now]));
    const gone = [...this.missing].filter(([, since]) => now - since >= (this.deps.goneAfterMs ?? GONE_AFTER_MS)).map(([node]) => node);
    if (gone.length === 0) return;
    for (const { id, connection } of await releaseHostsOfGoneReplicas(database.prisma, gone)) {
      const node = connection.slice(0, connection.lastIndexOf('/'));
      log.warn({ hostId: id, node }, "a console replica is gone: its agent's host is marked disconnected");
      connections.disconnected(id, `its console replica ${node} is gone`);
      onHostChanged?.(id);
    }
  }
}

/** Among replicas: the leader sweeps, from its election until it stops leading. */
export function sweepGoneReplicas({
  cluster,
  duties,
  database,
  audit,
  log,
  onHostChanged,
  everyMs,
  goneAfterMs,
}: {
  cluster: { members(): Promise<Array<{ node: string }>> };
  duties: Pick<LeaderDuties, 'add'>;
  database: Database;
  audit: AuditWriter;
  log: Logger;
  onHostChanged: (hostId: number) => void;
  everyMs?: number;
  goneAfterMs?: number;
}): GoneReplicaSweep {
  const sweep = new GoneReplicaSweep({
    database,
    liveNodes: async () => (await cluster.members()).map((member) => member.node),
    connections: new FleetConnectionAudit({ audit, log }),
    onHostChanged,
    log,
    everyMs,
    goneAfterMs,
  });
  duties.add({ start: () => sweep.start(), stop: () => sweep.stop() });
  return sweep;
}
