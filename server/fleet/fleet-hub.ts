import type { KeyObject } from 'node:crypto';
import type { Namespace, Socket } from 'socket.io';
import { FLEET_EVENTS, fleetHeartbeatSchema, fleetHelloSchema, type FleetCommand, type HostView, type SignedFleetCommand } from '@/lib/fleet/fleet-api';
import { parseHostStatus, statusOfHeartbeat, type HostStatus } from '@/lib/fleet/host-status';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import {
  activeFleetIsolations,
  findHost,
  insertFleetIsolation,
  listHosts,
  LOCAL_HOST_ID,
  markRemoteHostsDisconnected,
  recordHostConnection,
  recordHostHeartbeat,
  revokeHost,
} from '../queries/hosts';
import { FLEET_EVENTS_MESSAGE } from '@/lib/fleet/fleet-events-api';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { FleetConnectionAudit } from './fleet-connection-audit';
import type { FleetDetection } from './fleet-detection';
import { FleetError } from './fleet-error';
import { FleetEventIngest } from './fleet-event-ingest';
import { helloSignedBy, newNonce, signChallenge, signCommand } from './fleet-signing';

/** An agent that has not proven who it is within this time is dropped. */
const HELLO_TIMEOUT_MS = 10_000;
/** How long a command may travel: long enough for a slow link, short enough that a captured one is soon useless. */
const COMMAND_TTL_MS = 60_000;

export interface LocalHostState {
  healthScore: number | null;
  degradation: string | null;
  defenseMode: string;
  status: HostStatus | null;
}

export interface FleetHubDeps {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  consoleKey: KeyObject;
  /** Host 1 is this worker: its state is read live rather than from heartbeats. */
  localState: () => LocalHostState;
  /** Where agents' committed events are announced, as the writer announces its own. */
  announce?: (events: ChainedAuditEvent[]) => void;
  /** After a host's row changed (heartbeat, connection, revocation): the fleet page's live feed. */
  onHostChanged?: (hostId: number) => void;
}

export interface FleetAgentListener {
  connected(hostId: number): Promise<void>;
  result(hostId: number, raw: unknown): Promise<void>;
}

export interface FleetIsolationRequest {
  source: string;
  reason: string;
  actor: string;
  /** null: until released. */
  durationMs: number | null;
  /** A host that decided it itself and needs no command. */
  exceptHostId?: number;
}

/**
 * The console's side of the fleet: agents connect to the `/fleet` namespace, prove their identity
 * by signing the console's nonce with their enrolled key, then report heartbeats and receive
 * signed commands. One live socket per host; a second hello from the same host replaces the first.
 */
export class FleetHub {
  private readonly sockets = new Map<number, Socket>();
  private agentListener: FleetAgentListener | null = null;
  private readonly connections: FleetConnectionAudit;
  /** Agents' events on their way into the chain. */
  readonly events: FleetEventIngest;
  private detection: FleetDetection | null = null;

  constructor(private readonly deps: FleetHubDeps) {
    this.connections = new FleetConnectionAudit(deps);
    this.events = new FleetEventIngest({
      database: deps.database,
      log: deps.log,
      announce: (events) => deps.announce?.(events),
      onRefused: (hostId) => {
        // Revoked while its batch was on the way: cut now, as revoke() does.
        this.connections.refused(hostId, 'events', this.sockets.get(hostId)?.handshake.address ?? null);
        this.sockets.get(hostId)?.disconnect(true);
      },
    });
  }

  /** A worker starts with its database away (degraded): the stale flags are then cleared by the next hellos and goodbyes. */
  async start(): Promise<void> {
    await markRemoteHostsDisconnected(this.deps.database).catch((error: unknown) =>
      this.deps.log.warn({ err: (error as Error).message }, 'could not mark the fleet hosts disconnected at start'),
    );
  }

  attach(namespace: Namespace): void {
    namespace.on('connection', (socket) => this.greet(socket));
  }

  /** Agents' signal counts go to `detection` from now on. */
  countWith(detection: FleetDetection): void {
    this.detection = detection;
  }

  connectedHostIds(): number[] {
    return [...this.sockets.keys()];
  }

  async hosts(): Promise<HostView[]> {
    const rows = await listHosts(this.deps.database.prisma);
    const local = this.deps.localState();
    return rows.map((row) => {
      const isLocal = row.id === LOCAL_HOST_ID;
      return {
        id: row.id,
        name: row.name,
        labels: JSON.parse(row.labels) as Record<string, string>,
        // From the database, so a standby replica answers the same as the one holding the socket.
        connected: isLocal || (row.connected && row.revokedAt === null),
        lastSeen: isLocal ? new Date().toISOString() : (row.lastSeen?.toISOString() ?? null),
        disconnectedSince: isLocal || row.connected ? null : (row.disconnectedSince?.toISOString() ?? null),
        healthScore: isLocal ? local.healthScore : row.healthScore,
        degradation: isLocal ? local.degradation : row.degradation,
        defenseMode: isLocal ? local.defenseMode : row.defenseMode,
        revokedAt: row.revokedAt?.toISOString() ?? null,
        status: isLocal ? local.status : parseHostStatus(row.status),
      };
    });
  }

  async revoke(hostId: number, actor: string): Promise<void> {
    const { database, audit } = this.deps;
    if (!(await revokeHost(database.prisma, hostId, new Date())))
      throw new FleetError('host_not_found', `no enrolled host ${hostId} to revoke (the local host cannot be revoked)`);
    // Cut at once: the socket goes now, and the next hello is refused by revokedAt.
    this.sockets.get(hostId)?.disconnect(true);
    this.sockets.delete(hostId);
    this.deps.onHostChanged?.(hostId);
    await audit.append({
      type: 'fleet.host_revoked',
      severity: 'warning',
      actor,
      action: 'revoke host',
      module: 'fleet',
      resource: `host:${hostId}`,
      method: 'api',
    });
  }

  /** Sends the isolation to every connected host and records it for hosts that connect later; resolves with how many it reached. */
  async isolateEverywhere(request: FleetIsolationRequest): Promise<number> {
    const { database, audit } = this.deps;
    const expiresAt = request.durationMs === null ? null : new Date(Date.now() + request.durationMs);
    // Sent before it is written: the record is for hosts that connect later, and a block should not wait on a disk.
    const hostIds = this.connectedHostIds().filter((hostId) => hostId !== request.exceptHostId);
    for (const hostId of hostIds) this.sendIsolation(hostId, { ...request, until: expiresAt });
    await insertFleetIsolation(database.prisma, { source: request.source, reason: request.reason, actor: request.actor, expiresAt });
    await audit.append({
      type: 'fleet.isolation_sent',
      severity: 'notice',
      actor: request.actor,
      action: 'isolate source fleet-wide',
      module: 'fleet',
      resource: request.source,
      reason: request.reason,
      method: 'api',
      details: { hosts: hostIds, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return hostIds.length;
  }

  /** Signs `action` for one host and sends it; false when the host is not connected. The signature lapses by `notAfter` at the latest. */
  sendAction(hostId: number, action: FleetCommand['action'], notAfter?: Date): boolean {
    const socket = this.sockets.get(hostId);
    if (!socket) return false;
    const now = Date.now();
    const expiresAtMs = Math.min(now + COMMAND_TTL_MS, notAfter?.getTime() ?? Infinity);
    const command: FleetCommand = { nonce: newNonce(), hostId, issuedAt: new Date(now).toISOString(), expiresAt: new Date(expiresAtMs).toISOString(), action };
    socket.emit(FLEET_EVENTS.command, { command, signature: signCommand(this.deps.consoleKey, command) } satisfies SignedFleetCommand);
    return true;
  }

  /** Who hears of agents connecting and answering commands (the console's commander). */
  onAgents(listener: FleetAgentListener): void {
    this.agentListener = listener;
  }

  close(): void {
    for (const socket of this.sockets.values()) socket.disconnect(true);
    this.sockets.clear();
  }

  private sendIsolation(hostId: number, isolation: { source: string; reason: string; actor: string; until: Date | null }): void {
    const { source, reason, actor, until } = isolation;
    this.sendAction(hostId, { kind: 'isolate', source, reason, actor, until: until?.toISOString() ?? null });
  }

  private greet(socket: Socket): void {
    const nonce = newNonce();
    const timer = setTimeout(() => socket.disconnect(true), HELLO_TIMEOUT_MS);
    socket.once('disconnect', () => clearTimeout(timer));
    socket.once(FLEET_EVENTS.hello, (raw: unknown) => {
      clearTimeout(timer);
      this.admit(socket, nonce, raw).catch((error: unknown) => {
        this.deps.log.warn({ err: (error as Error).message }, 'a fleet agent could not be admitted');
        socket.disconnect(true);
      });
    });
    socket.emit(FLEET_EVENTS.challenge, { nonce, signature: signChallenge(this.deps.consoleKey, nonce) });
  }

  private async admit(socket: Socket, nonce: string, raw: unknown): Promise<void> {
    const { database, log } = this.deps;
    const hello = fleetHelloSchema.safeParse(raw);
    const host = hello.success ? await findHost(database.prisma, hello.data.hostId) : null;
    const proven = hello.success && !!host?.publicKey && helloSignedBy(host.publicKey, nonce, host.id, hello.data.signature);
    if (!proven || !host || host.revokedAt) {
      log.warn(
        { hostId: hello.success ? hello.data.hostId : null, address: socket.handshake.address },
        'refused a fleet agent: unknown, revoked or bad signature',
      );
      // Only a proven identity is recorded: anyone could claim to be a revoked host.
      if (proven && host) this.connections.refused(host.id, 'hello', socket.handshake.address);
      socket.disconnect(true);
      return;
    }
    const hostId = host.id;
    this.sockets.get(hostId)?.disconnect(true);
    this.sockets.set(hostId, socket);
    socket.on('disconnect', (reason) => {
      this.connections.disconnected(hostId, reason);
      if (this.sockets.get(hostId) !== socket) return;
      this.sockets.delete(hostId);
      void recordHostConnection(database.prisma, hostId, { connected: false, at: new Date() })
        .then(() => this.deps.onHostChanged?.(hostId))
        .catch(() => undefined);
    });
    socket.on(FLEET_EVENTS.heartbeat, (beat: unknown) => void this.recordHeartbeat(hostId, beat));
    socket.on(FLEET_EVENTS.commandResult, (result: unknown) => void this.agentListener?.result(hostId, result));
    socket.on(FLEET_EVENTS_MESSAGE, (raw: unknown, ack: unknown) => this.events.receive(hostId, raw, ack));
    socket.on(FLEET_EVENTS.counts, (counts: unknown) => this.detection?.report(hostId, counts));
    socket.on(FLEET_EVENTS.localDecision, (decision: unknown) => this.detection?.adopt(hostId, decision));
    await recordHostConnection(database.prisma, hostId, { connected: true, at: new Date() });
    this.connections.connected(hostId, socket.handshake.address);
    this.deps.onHostChanged?.(hostId);
    // Where our copy of its events ends: the agent resumes right after.
    socket.emit(FLEET_EVENTS.welcome, { hostId, eventSeq: host.eventSeq });
    // Resume: what was decided for the whole fleet while this host was away reaches it now.
    for (const isolation of await activeFleetIsolations(database.prisma, new Date())) {
      this.sendIsolation(hostId, { source: isolation.source, reason: isolation.reason, actor: isolation.actor, until: isolation.expiresAt });
    }
    await this.agentListener?.connected(hostId);
  }

  private async recordHeartbeat(hostId: number, raw: unknown): Promise<void> {
    const beat = fleetHeartbeatSchema.safeParse(raw);
    if (!beat.success) return void this.deps.log.warn({ hostId }, 'ignored a malformed fleet heartbeat');
    try {
      const { healthScore, degradation, defenseMode } = beat.data;
      await recordHostHeartbeat(this.deps.database.prisma, hostId, {
        at: new Date(),
        healthScore,
        degradation,
        defenseMode,
        status: statusOfHeartbeat(beat.data),
      });
      this.deps.onHostChanged?.(hostId);
    } catch (error) {
      this.deps.log.warn({ hostId, err: (error as Error).message }, 'could not record a fleet heartbeat');
    }
  }
}
