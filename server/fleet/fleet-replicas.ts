import { MAX_FLEET_SEND_HOSTS, NOTIFY_PAYLOAD_LIMIT, type ClusterMessageBody, type FleetClusterMessage } from '@/lib/ha/cluster-messages';
import type { FleetCommand } from '@/lib/fleet/fleet-api';
import { fleetLocalDecisionSchema, type FleetCounts, type FleetLocalDecision } from '@/lib/fleet/fleet-counts';
import type { Logger } from '../log';

/** What a replica's hub does for the others: each delivers to the agents whose sockets it holds. */
export interface FleetReplicaHub {
  sendAction(hostId: number, action: FleetCommand['action'], notAfter?: Date): boolean;
  isolateHere(isolation: FleetReplicaIsolation, exceptHostId?: number): number[];
  cut(hostId: number): void;
}

/** The leader's fleet-wide detectors. */
export interface FleetReplicaDetection {
  pour(hostId: number, counts: FleetCounts['counts']): void;
  adopt(hostId: number, decision: unknown): void;
}

/** A replica's configuration console: it signs and pushes a save to the agents connected here. */
export interface FleetReplicaConfigs {
  pushSaved(revision: number): Promise<void>;
}

/** Where a hub reports what its agents counted and decided. */
export interface FleetCountsSink {
  report(hostId: number, raw: unknown): void;
  adopt(hostId: number, raw: unknown): void;
}

export type FleetReplicaIsolation = { source: string; reason: string; actor: string; until: string | null };

export interface FleetReplicasDeps {
  /** This replica's node id: it names the connections it holds. */
  nodeId: string;
  publish: (body: ClusterMessageBody) => void;
  isLeader: () => boolean;
  log: Logger;
}

/** Room for a message's envelope around the counts. */
const COUNTS_BUDGET = NOTIFY_PAYLOAD_LIMIT - 400;

/**
 * A fleet console of several replicas on PostgreSQL: an agent's socket lives on whichever replica
 * accepted it, so what one replica decides for hosts (commands, fleet-wide isolations, revocations)
 * also goes over the cluster bus, and every replica delivers it to the agents it holds. Agents'
 * signal counts and own decisions go the other way, to the leader, whose detectors alone sum the
 * fleet (one set of windows, so a source spread over replicas is still one brute force). Nothing
 * here must survive a lost notification: commands are in the database and reach a host again at its
 * next hello, isolations likewise; counts are only counts.
 */
export class FleetReplicas {
  private hub: FleetReplicaHub | null = null;
  private detection: FleetReplicaDetection | null = null;
  private configs: FleetReplicaConfigs | null = null;
  readonly stats = { forwarded: 0, applied: 0 };

  constructor(private readonly deps: FleetReplicasDeps) {}

  get nodeId(): string {
    return this.deps.nodeId;
  }

  deliverWith(hub: FleetReplicaHub): void {
    this.hub = hub;
  }

  detectWith(detection: FleetReplicaDetection): void {
    this.detection = detection;
  }

  pushConfigWith(configs: FleetReplicaConfigs): void {
    this.configs = configs;
  }

  configSaved(revision: number): void {
    this.forward({ kind: 'fleet-config', revision });
  }

  get leading(): boolean {
    return this.deps.isLeader();
  }

  /** Hosts whose sockets are not here: the replica holding one sends it. */
  send(hostIds: number[], action: FleetCommand['action'], notAfter: Date): void {
    for (let i = 0; i < hostIds.length; i += MAX_FLEET_SEND_HOSTS)
      this.forward({ kind: 'fleet-send', hostIds: hostIds.slice(i, i + MAX_FLEET_SEND_HOSTS), action, notAfter: notAfter.toISOString() });
  }

  isolate(isolation: FleetReplicaIsolation, exceptHostId?: number): void {
    this.forward({ kind: 'fleet-isolate', isolation, ...(exceptHostId !== undefined && { exceptHostId }) });
  }

  revoke(hostId: number): void {
    this.forward({ kind: 'fleet-revoke', hostId });
  }

  /** Counts in as many messages as NOTIFY's payload limit needs. */
  counts(hostId: number, counts: FleetCounts['counts']): void {
    let batch: FleetCounts['counts'] = [];
    let size = 0;
    for (const entry of counts) {
      const length = Buffer.byteLength(JSON.stringify(entry)) + 1;
      if (batch.length > 0 && size + length > COUNTS_BUDGET) {
        this.forward({ kind: 'fleet-counts', hostId, counts: batch });
        batch = [];
        size = 0;
      }
      batch.push(entry);
      size += length;
    }
    if (batch.length > 0) this.forward({ kind: 'fleet-counts', hostId, counts: batch });
  }

  decision(hostId: number, decision: FleetLocalDecision): void {
    this.forward({ kind: 'fleet-decision', hostId, decision });
  }

  /** Another replica's message, already validated by the bus. */
  apply(message: FleetClusterMessage): void {
    const { hub, detection } = this;
    this.stats.applied++;
    switch (message.kind) {
      case 'fleet-send': {
        const notAfter = new Date(message.notAfter);
        for (const hostId of message.hostIds) hub?.sendAction(hostId, message.action, notAfter);
        return;
      }
      case 'fleet-isolate':
        return void hub?.isolateHere(message.isolation, message.exceptHostId);
      case 'fleet-revoke':
        return hub?.cut(message.hostId);
      case 'fleet-config':
        return void this.configs
          ?.pushSaved(message.revision)
          .catch((error: unknown) =>
            this.deps.log.warn({ err: (error as Error).message, revision: message.revision }, "could not push another replica's configuration save"),
          );
      case 'fleet-counts':
        if (this.leading) detection?.pour(message.hostId, message.counts);
        return;
      case 'fleet-decision':
        if (this.leading) detection?.adopt(message.hostId, message.decision);
        return;
    }
  }

  private forward(body: ClusterMessageBody): void {
    this.stats.forwarded++;
    this.deps.publish(body);
  }
}

/**
 * What the hub reports counts and decisions to: the detectors themselves on the leader; on a
 * standby, the leader through the bus, after the same rate limit and validation.
 */
export function countedByLeader(
  detection: FleetReplicaDetection & FleetCountsSink & { admitted(hostId: number, raw: unknown): FleetCounts['counts'] | null },
  replicas: FleetReplicas,
): FleetCountsSink {
  return {
    report: (hostId, raw) => {
      if (replicas.leading) return detection.report(hostId, raw);
      const counts = detection.admitted(hostId, raw);
      if (counts) replicas.counts(hostId, counts);
    },
    adopt: (hostId, raw) => {
      if (replicas.leading) return detection.adopt(hostId, raw);
      const decision = fleetLocalDecisionSchema.safeParse(raw);
      if (decision.success) replicas.decision(hostId, decision.data);
    },
  };
}
