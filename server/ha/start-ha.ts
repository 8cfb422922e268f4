import type { ClusterMessage, ClusterMessageBody, FleetClusterMessage } from '@/lib/ha/cluster-messages';
import type { AuditWriter } from '../audit';
import type { AuditIntegrity } from '../audit/audit-integrity';
import type { StartedDatabase } from '../db/start-database';
import { dbErrorMessage } from '../db/db-error';
import type { DefenseService } from '../defense';
import type { WorkerEnv } from '../env/worker-env';
import type { Logger } from '../log';
import { warnOfForeignKey } from '../worker-chores';
import { Cluster } from './cluster';
import { DefenseReplay } from './defense-replay';
import type { LeaderDuties } from './leader-duties';
import { LeaderHealth } from './leader-health';
import { SignalRelay } from './signal-relay';

export interface HaDeps {
  env: WorkerEnv;
  db: StartedDatabase;
  /** Where the other replicas reach this one, unless VIGIL_ADVERTISE_URL says otherwise. */
  port: number;
  log: Logger;
  duties: LeaderDuties;
  onLeadershipLost?: (reason: string) => void;
}

/**
 * Several replicas on PostgreSQL: the bus between them (opened now, so the live fan-out and
 * the defense's announcements have it) and the election (entered last, once everything the
 * leader starts exists). On SQLite there is no cluster and this replica simply leads.
 */
export function startHa({ env, db, port, log, duties, onLeadershipLost }: HaDeps) {
  const { database, whenDatabase } = db;
  let defense: DefenseService | null = null;
  let replay: DefenseReplay | null = null;
  let relay: SignalRelay | null = null;
  let announce: () => Promise<void> = async () => undefined;
  let leading: Promise<void> | null = null;
  let reloadSettings: () => Promise<void> = async () => undefined;
  let fleetMessage: (message: FleetClusterMessage) => void = () => undefined;
  let fleetRejoined: () => void = () => undefined;
  const isFleetMessage = (message: ClusterMessage): message is FleetClusterMessage => message.kind.startsWith('fleet-');
  const settingsChanged = () =>
    void reloadSettings().catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, "the console's config sections not reloaded"));

  const lead = () =>
    (leading ??= (async () => {
      // A standby that becomes leader detects from now on, from the state as stored.
      if (relay && defense) {
        relay.stop();
        const leader = defense;
        await whenDatabase(() => leader.lead());
      }
      await duties.run();
      duties.ensureLeading();
      await announce();
    })());

  const cluster = env.ha
    ? new Cluster({
        database,
        url: env.databaseUrl,
        nodeId: env.nodeId,
        advertiseUrl: env.advertiseUrl ?? `http://127.0.0.1:${port}`,
        log,
        onElected: lead,
        onLost: (reason) => {
          // Nothing may run twice: everything that acts stops now, before the lock is given back.
          defense?.demote();
          void duties.abandon().finally(() => onLeadershipLost?.(reason));
        },
        onMessage: (message) => {
          if (message.kind === 'settings') settingsChanged();
          else if (isFleetMessage(message)) fleetMessage(message);
          else replay?.apply(message);
        },
        onRejoined: () => fleetRejoined(),
        onResync: () => {
          // A replica that missed messages may have missed a saved section too.
          settingsChanged();
          void replay?.resync().catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, 'defense state not reloaded'));
        },
      })
    : null;

  return {
    cluster,
    leaderHealth: new LeaderHealth(database),
    isLeader: () => cluster === null || cluster.role === 'leader',
    publish(message: ClusterMessageBody): void {
      void cluster?.publish(message);
    },
    /** Who delivers what the other replicas say about the fleet's agents. */
    followFleet(apply: (message: FleetClusterMessage) => void): void {
      fleetMessage = apply;
    },
    /** Who re-announces this replica's agents once its bus is back (the sweep may have released them meanwhile). */
    followRejoin(rejoined: () => void): void {
      fleetRejoined = rejoined;
    },
    /** How this replica reads the console's config sections again when another one changed them. */
    followSettings(reload: () => Promise<void>): void {
      reloadSettings = reload;
    },
    /**
     * The defense every replica enforces with. A standby relays what it sees to the leader's
     * detectors and applies what the leader announces; `markLoaded` once its state is read.
     */
    coordinate(service: DefenseService): { markLoaded(): void } {
      defense = service;
      if (!cluster) return { markLoaded: () => undefined };
      const signals = new SignalRelay({ send: (batch) => void cluster.publish({ kind: 'signals', signals: batch }) });
      service.follow((signal) => signals.add(signal));
      relay = signals;
      replay = new DefenseReplay({ defense: service, log });
      return replay;
    },
    /** Heard before loaded: what the leader says meanwhile waits until the state is read. */
    listen: async () => {
      await cluster?.listen();
    },
    /** Enters the election (or, alone on SQLite, leads at once); the leader's duties start there. */
    async elect({ audit, integrity }: { audit: AuditWriter; integrity: AuditIntegrity }): Promise<void> {
      if (cluster) {
        announce = async () => {
          await warnOfForeignKey(database, integrity, audit, log);
          await audit.append({
            type: 'cluster.leader_elected',
            severity: 'notice',
            actor: 'system',
            action: 'lead the workers',
            module: 'cluster',
            method: 'election',
            details: { node: env.nodeId, url: cluster.status().leader?.url ?? null },
          });
        };
        await cluster.elect();
      } else await lead();
    },
    leading: cluster ? cluster.whenElected() : Promise.resolve(),
    /** Duties half way through starting would start timers after a stop: a close waits for them first. */
    settled: async () => {
      await leading?.catch(() => undefined);
    },
    stop: () => relay?.stop(),
    close: () => cluster?.stop(),
  };
}

export type StartedHa = ReturnType<typeof startHa>;
