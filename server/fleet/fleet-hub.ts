import type { Namespace, Socket } from 'socket.io';
import { FLEET_EVENTS, fleetHelloSchema, type FleetCommand, type HostView, type SignedFleetCommand } from '@/lib/fleet/fleet-api';
import {
  activeFleetIsolations,
  findHost,
  insertFleetIsolation,
  markRemoteHostsDisconnected,
  reclaimHostConnection,
  recordHostConnection,
  revokeHost,
} from '../queries/hosts';
import { FLEET_EVENTS_MESSAGE } from '@/lib/fleet/fleet-events-api';
import { lastHostEventId } from '../queries/fleet-events';
import { FleetConnectionAudit } from './fleet-connection-audit';
import { hostViews, recordFleetHeartbeat } from './fleet-host-views';
import type { FleetAgentListener, FleetHubDeps, FleetIsolationRequest } from './fleet-hub-types';
import type { FleetCountsSink, FleetReplicaIsolation } from './fleet-replicas';
import { FleetError } from './fleet-error';
import { FleetEventIngest } from './fleet-event-ingest';
import { HeartbeatCoalescer } from './heartbeat-coalescer';
import { helloSignedBy, newNonce, signChallenge, signCommand } from './fleet-signing';

/** An agent that has not proven who it is within this time is dropped. */
const HELLO_TIMEOUT_MS = 10_000;
/** How long a command may travel: long enough for a slow link, short enough that a captured one is soon useless. */
const COMMAND_TTL_MS = 60_000;
/**
 * Packets socket.io may hold for one agent whose connection does not drain (an agent that stopped
 * reading, a link that died without a close): beyond this the connection is cut rather than
 * queued to, until the ping timeout would notice. What was not delivered is sent again at the
 * next hello (fleet-wide isolations, pending and idempotent commands), so nothing is lost.
 * Far above a healthy burst: a reconnect's resend bypasses it, and a new command is one packet per host.
 */
export const MAX_QUEUED_PACKETS_PER_AGENT = 1000;

export type { FleetAgentListener, FleetHubDeps, FleetIsolationRequest, LocalHostState } from './fleet-hub-types';

/** What socket.io has not yet handed to the connection: engine.io's write buffer, not part of its typed surface. */
const queuedPackets = (socket: Socket) => (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;

/**
 * The console's side of the fleet: agents connect to the `/fleet` namespace, prove their identity
 * by signing the console's nonce with their enrolled key, then report heartbeats and receive
 * signed commands. One live socket per host; a second hello from the same host replaces the first.
 */
export class FleetHub {
  private readonly sockets = new Map<number, Socket>();
  private agentListener: FleetAgentListener | null = null;
  private readonly admittedListeners: Array<(hostId: number, socket: Socket) => Promise<void>> = [];
  private readonly connections: FleetConnectionAudit;
  /** Agents' events on their way into the chain. */
  readonly events: FleetEventIngest;
  private detection: FleetCountsSink | null = null;
  private closed = false;
  private readonly heartbeats = new HeartbeatCoalescer<unknown>((hostId, beat) => this.recordHeartbeat(hostId, beat));

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
      onReset: (reset) => void this.connections.reset(reset),
    });
  }

  /** A worker starts with its database away (degraded): the stale flags are then cleared by the next hellos and goodbyes. */
  async start(): Promise<void> {
    // Among replicas, only the hosts this replica held: the others' agents are still theirs.
    await markRemoteHostsDisconnected(this.deps.database, this.deps.replicas?.nodeId).catch((error: unknown) =>
      this.deps.log.warn({ err: (error as Error).message }, 'could not mark the fleet hosts disconnected at start'),
    );
  }

  attach(namespace: Namespace): void {
    namespace.on('connection', (socket) => this.greet(socket));
  }

  /** Agents' signal counts go to `detection` from now on. */
  countWith(detection: FleetCountsSink): void {
    this.detection = detection;
  }

  /** The live socket of a connected host: what read-only queries are asked over. */
  socketOf(hostId: number): Socket | undefined {
    return this.sockets.get(hostId);
  }

  connectedHostIds(): number[] {
    return [...this.sockets.keys()];
  }

  /** Heartbeats written to hosts' rows since start. */
  heartbeatsWritten(): number {
    return this.heartbeats.written;
  }

  /** Where each connected agent's socket comes from. */
  connectedAddresses(): string[] {
    return [...this.sockets.values()].map((socket) => socket.handshake.address);
  }

  hosts(): Promise<HostView[]> {
    return hostViews(this.deps.database, this.deps.localState());
  }

  async revoke(hostId: number, actor: string): Promise<void> {
    const { database, audit } = this.deps;
    if (!(await revokeHost(database.prisma, hostId, new Date())))
      throw new FleetError('host_not_found', `no enrolled host ${hostId} to revoke (the local host cannot be revoked)`);
    // Cut at once: the socket goes now, and the next hello is refused by revokedAt.
    this.cut(hostId);
    this.deps.replicas?.revoke(hostId);
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
    const isolation = { source: request.source, reason: request.reason, actor: request.actor, until: expiresAt?.toISOString() ?? null };
    // The other replicas' agents first: their NOTIFY travels while this one signs for its own.
    this.deps.replicas?.isolate(isolation, request.exceptHostId);
    const hostIds = this.isolateHere(isolation, request.exceptHostId);
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
      details: { hosts: hostIds, otherReplicas: this.deps.replicas !== undefined, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return hostIds.length;
  }

  /** Signs `action` for one host and sends it; false when the host is not connected. The signature lapses by `notAfter` at the latest. */
  sendAction(hostId: number, action: FleetCommand['action'], notAfter?: Date): boolean {
    const socket = this.sockets.get(hostId);
    if (!socket) return false;
    if (queuedPackets(socket) >= MAX_QUEUED_PACKETS_PER_AGENT) {
      this.deps.log.warn(
        { hostId, queued: queuedPackets(socket) },
        'a fleet agent does not read what is sent to it; disconnecting it until it says hello again',
      );
      socket.disconnect(true);
      return false;
    }
    this.emitAction(socket, hostId, action, notAfter);
    return true;
  }

  /** Unbounded: only for the resend at a hello, whose size is what the database holds, not what arrives meanwhile. */
  private emitAction(socket: Socket, hostId: number, action: FleetCommand['action'], notAfter?: Date): void {
    const now = Date.now();
    const expiresAtMs = Math.min(now + COMMAND_TTL_MS, notAfter?.getTime() ?? Infinity);
    const command: FleetCommand = { nonce: newNonce(), hostId, issuedAt: new Date(now).toISOString(), expiresAt: new Date(expiresAtMs).toISOString(), action };
    socket.emit(FLEET_EVENTS.command, { command, signature: signCommand(this.deps.consoleKey, command) } satisfies SignedFleetCommand);
  }

  /** Signs and sends `action` to the host wherever its socket is: here, or through the replica that holds it. */
  deliver(hostId: number, action: FleetCommand['action'], notAfter: Date): void {
    if (!this.sendAction(hostId, action, notAfter)) this.deps.replicas?.send([hostId], action, notAfter);
  }

  /** Sends the isolation to the hosts connected to this replica (all but `exceptHostId`); resolves with them. */
  isolateHere(isolation: FleetReplicaIsolation, exceptHostId?: number): number[] {
    const hostIds = this.connectedHostIds().filter((hostId) => hostId !== exceptHostId);
    for (const hostId of hostIds) this.sendAction(hostId, { kind: 'isolate', ...isolation });
    return hostIds;
  }

  /** Drops the host's socket if this replica holds it. */
  cut(hostId: number): void {
    this.sockets.get(hostId)?.disconnect(true);
    this.sockets.delete(hostId);
  }

  /** Sends one event to a connected host; false when it is not connected. */
  emitTo(hostId: number, event: string, payload: unknown): boolean {
    const socket = this.sockets.get(hostId);
    socket?.emit(event, payload);
    return socket !== undefined;
  }

  /**
   * Takes back the rows of the hosts whose sockets this replica holds where nobody holds them: the
   * leader's sweep releases them when this replica's bus session has been gone for a while, though
   * the replica and its agents lived on. Each host taken back is recorded connected again.
   */
  async reclaimHeld(reason: string): Promise<number[]> {
    const reclaimed: number[] = [];
    for (const [hostId, socket] of [...this.sockets]) {
      if (await this.reclaim(hostId, socket, reason)) reclaimed.push(hostId);
    }
    return reclaimed;
  }

  private async reclaim(hostId: number, socket: Socket, reason: string): Promise<boolean> {
    try {
      if (socket.disconnected || this.sockets.get(hostId) !== socket) return false;
      if (!(await reclaimHostConnection(this.deps.database.prisma, hostId, { connection: this.connectionOf(socket), at: new Date() }))) return false;
      this.deps.log.warn({ hostId }, `${reason}: its agent's host is connected again`);
      this.connections.connected(hostId, socket.handshake.address, reason);
      this.deps.onHostChanged?.(hostId);
      return true;
    } catch (error) {
      this.deps.log.warn({ hostId, err: (error as Error).message }, "could not take back a fleet host's connection");
      return false;
    }
  }

  /** Which connection a host's row belongs to: a later one, here or on another replica, takes it over. */
  private connectionOf(socket: Socket): string {
    return `${this.deps.replicas?.nodeId ?? 'console'}/${socket.id}`;
  }

  /** Other parts of the protocol (the configuration push) listen on each proven host's socket, and act once it is welcomed. */
  onAdmitted(listener: (hostId: number, socket: Socket) => Promise<void>): void {
    this.admittedListeners.push(listener);
  }

  /** Who hears of agents connecting and answering commands (the console's commander). */
  onAgents(listener: FleetAgentListener): void {
    this.agentListener = listener;
  }

  close(): void {
    // Agents cut off come back at once: while this console stops, they go to another replica instead.
    this.closed = true;
    for (const socket of this.sockets.values()) socket.disconnect(true);
    this.sockets.clear();
  }

  /** In which order connections arrived here: a clock's milliseconds can tie, this cannot. */
  private readonly arrivals = new WeakMap<Socket, number>();
  private arrived = 0;

  private arrivalOf(socket: Socket): number {
    return this.arrivals.get(socket) ?? 0;
  }

  private greet(socket: Socket): void {
    if (this.closed) return void socket.disconnect(true);
    this.arrivals.set(socket, ++this.arrived);
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
    // The host's row was read while the connection could go or a newer one say hello: a hello is
    // admitted only over a connection still open and never over a newer one of the same host.
    // Otherwise a connection that dropped while it was checked would hold the host with no
    // goodbye to come, or cut the agent's live one and make it say hello all over again.
    if (socket.disconnected) return;
    const holder = this.sockets.get(hostId);
    if (holder && holder !== socket && holder.connected && this.arrivalOf(holder) > this.arrivalOf(socket)) {
      log.warn({ hostId }, "a fleet agent's older connection said hello after its newer one; dropping the older");
      socket.disconnect(true);
      return;
    }
    holder?.disconnect(true);
    this.sockets.set(hostId, socket);
    const connection = this.connectionOf(socket);
    socket.on('disconnect', (reason) => {
      if (this.sockets.get(hostId) !== socket) return this.connections.disconnected(hostId, reason);
      this.sockets.delete(hostId);
      // Audited once the row is written: the chain then never shows a disconnect the row has yet to follow.
      void recordHostConnection(database.prisma, hostId, { connected: false, at: new Date(), connection })
        .then((changed) => changed && this.deps.onHostChanged?.(hostId))
        .catch(() => undefined)
        .finally(() => this.connections.disconnected(hostId, reason));
    });
    socket.on(FLEET_EVENTS.heartbeat, (beat: unknown) => this.heartbeats.offer(hostId, beat));
    socket.on(FLEET_EVENTS.commandResult, (result: unknown) => void this.agentListener?.result(hostId, result));
    socket.on(FLEET_EVENTS_MESSAGE, (raw: unknown, ack: unknown) => this.events.receive(hostId, raw, ack));
    socket.on(FLEET_EVENTS.counts, (counts: unknown) => this.detection?.report(hostId, counts));
    socket.on(FLEET_EVENTS.localDecision, (decision: unknown) => this.detection?.adopt(hostId, decision));
    await recordHostConnection(database.prisma, hostId, { connected: true, at: new Date(), connection });
    this.connections.connected(hostId, socket.handshake.address);
    this.deps.onHostChanged?.(hostId);
    // Where our copy of its events ends: the agent resumes right after.
    const lastEventId = host.eventSeq > 0 ? await lastHostEventId(database.prisma, hostId) : null;
    socket.emit(FLEET_EVENTS.welcome, { hostId, eventSeq: host.eventSeq, lastEventId });
    // Resume: what was decided for the whole fleet while this host was away reaches it now.
    for (const isolation of await activeFleetIsolations(database.prisma, new Date())) {
      if (socket.disconnected) return;
      const { source, reason, actor, expiresAt } = isolation;
      this.emitAction(socket, hostId, { kind: 'isolate', source, reason, actor, until: expiresAt?.toISOString() ?? null });
    }
    await this.agentListener?.connected(hostId);
    for (const listener of this.admittedListeners) await listener(hostId, socket);
  }

  private async recordHeartbeat(hostId: number, raw: unknown): Promise<void> {
    if ((await recordFleetHeartbeat(this.deps, hostId, raw)) !== 'unheld') return;
    // Nobody holds the row, though this connection is live: the sweep released it while this
    // replica was only cut off (a rejoin's re-announcement that was itself lost). Take it back and
    // write the beat, so the host is never connected without a connection a disconnect can clear.
    // In the usual case the heartbeat stays one write.
    const socket = this.sockets.get(hostId);
    if (socket && (await this.reclaim(hostId, socket, 'its agent reported through a live connection'))) await recordFleetHeartbeat(this.deps, hostId, raw);
  }
}
