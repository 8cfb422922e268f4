import { io, type Socket } from 'socket.io-client';
import { FLEET_EVENTS, fleetChallengeSchema, signedFleetCommandSchema, type FleetCommand, type FleetHeartbeat } from '@/lib/fleet/fleet-api';
import type { AuditWriter } from '../audit';
import type { CheckpointKey } from '../audit/checkpoint-key';
import type { Logger } from '../log';
import { fleetWelcomeSchema } from '@/lib/fleet/fleet-events-api';
import { FINAL_FLEET_STATUSES } from '@/lib/fleet/fleet-kinds';
import { FLEET_QUERY_EVENT } from '@/lib/fleet/fleet-query-api';
import { FleetQueryResponder } from './fleet-query-agent';
import type { AgentIdentity } from './agent-identity';
import { runFleetAction, type FleetCommandServices, type FleetCommandStep } from './fleet-command-runner';
import type { AgentEventOutbox } from './agent-event-outbox';
import { AgentCommandOutcomes } from './agent-command-outcomes';
import type { FleetLocalDecision } from '@/lib/fleet/fleet-counts';
import type { FleetTally } from './fleet-tally';
import { challengeSignedBy, commandSignedBy, ReplayGuard, signHello } from './fleet-signing';
import { fleetSocketUrl, rotateAmongConsoles } from './console-rotation';

/** A command stamped further ahead than this was not made by a clock we agree with. */
const CLOCK_SKEW_MS = 30_000;
/** After a disconnect by the console socket.io does not retry by itself: 2 s doubling to 60 s, each ±50 %. */
const RETRY_BASE_MS = 2000;
const RETRY_MAX_MS = 60_000;

/** The wait before the `attempt`-th retry (from 0): exponential, capped, jittered ±50 % so a fleet does not come back in step. */
export function retryDelayMs(attempt: number, random = Math.random()): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 16)) * (0.5 + random);
}

export interface FleetAgentDeps {
  identity: AgentIdentity;
  /** Every replica of the console, tried in turn; the identity's URL alone when not given. */
  consoleUrls?: string[];
  key: CheckpointKey;
  /** What commands are carried out with: the host's own defense, healing and recovery. */
  services: FleetCommandServices;
  audit: AuditWriter;
  log: Logger;
  heartbeat: () => FleetHeartbeat;
  heartbeatMs: number;
  /** Delivers this host's audit events to the console once it welcomed us. */
  outbox?: AgentEventOutbox;
  /** Signal counts for fleet-wide detection, sent every `countsMs` while connected. */
  tally: FleetTally;
  countsMs: number;
  /** Other parts of the protocol (the configuration push, vantage probes) listen on the link's socket. */
  onSocket?: (socket: Socket) => void;
  /** Nonces of accepted commands; kept across restarts when given one on disk. */
  replay?: CommandReplayGuard;
}

/** What remembers the nonces of accepted commands until they expire. */
export interface CommandReplayGuard {
  accept(nonce: string, expiresAtMs: number, nowMs: number, issuedAtMs?: number): boolean;
}

/** Why a command was refused, or null when it may be carried out. */
export function commandRefusal(
  { command, signature }: { command: FleetCommand; signature: string },
  { consoleKey, hostId, replay, nowMs }: { consoleKey: string; hostId: number; replay: CommandReplayGuard; nowMs: number },
): string | null {
  if (!commandSignedBy(consoleKey, command, signature)) return 'not signed by the enrolled console';
  if (command.hostId !== hostId) return `addressed to host ${command.hostId}`;
  const expiresAtMs = Date.parse(command.expiresAt);
  if (!(expiresAtMs > nowMs)) return 'expired';
  const issuedAtMs = Date.parse(command.issuedAt);
  if (!(issuedAtMs <= nowMs + CLOCK_SKEW_MS)) return 'issued in the future';
  // Last: a refused command must not use up its nonce.
  if (!replay.accept(command.nonce, expiresAtMs, nowMs, issuedAtMs)) return 'replayed';
  return null;
}

/**
 * The agent's side of the fleet: one connection out to the console (no port opens on the agent),
 * socket.io's reconnection with jitter and backoff, the console's identity checked on every
 * connect against the key pinned at enrollment, heartbeats, and commands carried out only when
 * signed by that key, addressed to this host, unexpired and never seen before.
 */
export class FleetAgentLink {
  private socket: Socket | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private countsTimer: NodeJS.Timeout | null = null;
  private readonly replay: CommandReplayGuard;
  /** Retries since the last welcome that socket.io would not make by itself (a console that cut us off or failed its proof). */
  private retries = 0;
  private readonly queries: FleetQueryResponder;
  /** The connection (socket.io's id for it) this agent last said hello on. */
  private helloSentOn: string | undefined;
  private readonly outcomes = new AgentCommandOutcomes();

  constructor(private readonly deps: FleetAgentDeps) {
    this.replay = deps.replay ?? new ReplayGuard();
    const { identity, services, log } = deps;
    this.queries = new FleetQueryResponder({ consolePublicKey: identity.consolePublicKey, hostId: identity.hostId, services, log });
  }

  start(): void {
    const { identity, log } = this.deps;
    const consoleUrls = this.deps.consoleUrls?.length ? this.deps.consoleUrls : [identity.consoleUrl];
    const socket = io(fleetSocketUrl(consoleUrls[0]!), {
      // WebSocket only: a connection stays on the replica that accepted it, with no sticky sessions to configure.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 15_000,
      // ± 50 %: a console that comes back is not met by every agent in the same instant.
      randomizationFactor: 0.5,
    });
    this.socket = socket;
    const rotation = rotateAmongConsoles(socket, consoleUrls);
    socket.on(FLEET_EVENTS.challenge, (raw: unknown) => this.answerChallenge(socket, raw));
    socket.on(FLEET_EVENTS.welcome, (raw: unknown) => {
      log.info({ hostId: identity.hostId, console: rotation.current() }, 'connected to the fleet console');
      this.retries = 0;
      const welcome = fleetWelcomeSchema.safeParse(raw);
      if (welcome.success) this.deps.outbox?.connected(socket, welcome.data.eventSeq, welcome.data.lastEventId ?? null);
      this.beat();
      this.stopHeartbeats();
      this.heartbeatTimer = setInterval(() => this.beat(), this.deps.heartbeatMs);
      this.deps.tally.restart();
      this.countsTimer = setInterval(() => this.sendCounts(), this.deps.countsMs);
    });
    socket.on(FLEET_EVENTS.command, (raw: unknown) => void this.carryOut(raw));
    socket.on(FLEET_QUERY_EVENT, (raw: unknown, ack: unknown) => void this.queries.answer(raw, ack));
    this.deps.onSocket?.(socket);
    socket.on('disconnect', (reason) => {
      this.stopHeartbeats();
      this.deps.outbox?.disconnected();
      log.warn({ reason }, 'disconnected from the fleet console; reconnecting');
      // A disconnect by the console (a revocation, a refused hello) is not retried by socket.io itself.
      if (reason === 'io server disconnect') this.retryLater();
    });
  }

  stop(): void {
    this.stopHeartbeats();
    this.deps.outbox?.disconnected();
    this.socket?.close();
    this.socket = null;
  }

  private retryLater(): void {
    setTimeout(() => this.socket?.connect(), retryDelayMs(this.retries++)).unref();
  }

  private stopHeartbeats(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.countsTimer) clearInterval(this.countsTimer);
    this.heartbeatTimer = null;
    this.countsTimer = null;
  }

  /** Only while connected (not buffered): a decision made while away reaches the console through the counts. */
  shareDecision(decision: FleetLocalDecision): void {
    if (this.socket?.connected) this.socket.emit(FLEET_EVENTS.localDecision, decision);
  }

  /** Only while connected: what is counted meanwhile waits, bounded, in the tally. */
  private sendCounts(): void {
    const report = this.deps.tally.take();
    if (report) this.socket?.emit(FLEET_EVENTS.counts, report);
  }

  private beat(): void {
    this.socket?.emit(FLEET_EVENTS.heartbeat, this.deps.heartbeat());
  }

  private answerChallenge(socket: Socket, raw: unknown): void {
    const { identity, key, log } = this.deps;
    const challenge = fleetChallengeSchema.safeParse(raw);
    if (!challenge.success || !challengeSignedBy(identity.consolePublicKey, challenge.data.nonce, challenge.data.signature)) {
      // Whoever answers on the console's address does not hold its key: say nothing about ourselves.
      log.error({ console: identity.consoleUrl }, 'the fleet console did not prove its identity; not connecting');
      socket.disconnect();
      this.retryLater();
      return;
    }
    // One hello per connection: socket.io keeps what is emitted while disconnected and sends it on the
    // next connection, where a hello over the old nonce would be refused and cut the new one.
    if (!socket.connected || socket.id === undefined || this.helloSentOn === socket.id) return;
    this.helloSentOn = socket.id;
    socket.emit(FLEET_EVENTS.hello, { hostId: identity.hostId, signature: signHello(key.privateKey, challenge.data.nonce, identity.hostId) });
  }

  private async carryOut(raw: unknown): Promise<void> {
    const { identity, audit, log } = this.deps;
    const parsed = signedFleetCommandSchema.safeParse(raw);
    const nonce = parsed.success ? parsed.data.command.nonce : null;
    const commandId = parsed.success ? parsed.data.command.action.commandId : undefined;
    const refusal = parsed.success
      ? commandRefusal(parsed.data, { consoleKey: identity.consolePublicKey, hostId: identity.hostId, replay: this.replay, nowMs: Date.now() })
      : 'malformed';
    if (refusal || !parsed.success) {
      log.warn({ refusal }, 'refused a fleet command');
      const answer = { nonce, ok: false, error: refusal };
      this.socket?.emit(FLEET_EVENTS.commandResult, commandId ? { ...answer, commandId, status: 'refused', message: refusal } : answer);
      await audit.append({
        type: 'fleet.command_refused',
        severity: 'high',
        actor: 'fleet:console',
        action: 'refuse command',
        module: 'fleet',
        reason: refusal ?? 'malformed',
        method: 'fleet',
        ...(commandId && { details: { commandId } }),
      });
      return;
    }
    const { action } = parsed.data.command;
    if (commandId === undefined) return this.isolateForTheFleet(nonce, action);
    const answer = (step: FleetCommandStep) => this.socket?.emit(FLEET_EVENTS.commandResult, { nonce, ok: step.status !== 'failed', commandId, ...step });
    const earlier = this.outcomes.begin(commandId);
    if (earlier) {
      // Sent again because our answer did not reach the console: answered, never carried out twice.
      // One still under way is answered when it ends.
      log.info(
        { commandId, outcome: earlier.final?.status ?? 'under way' },
        'the console sent a fleet command this host already has; answering with its outcome',
      );
      if (earlier.final) answer(earlier.final);
      return;
    }
    // An operator's command: every step goes back as a result the console records and streams.
    await runFleetAction(this.deps.services, action, (step: FleetCommandStep) => {
      if (FINAL_FLEET_STATUSES.has(step.status)) this.outcomes.settle(commandId, step);
      answer(step);
    });
  }

  /** A fleet-wide isolation the console sent by itself (no operator command): answered ok or not. */
  private async isolateForTheFleet(nonce: string | null, action: FleetCommand['action']): Promise<void> {
    let error: string | undefined;
    await runFleetAction(this.deps.services, action, (step) => {
      if (step.status === 'failed') error = step.message;
    });
    this.socket?.emit(FLEET_EVENTS.commandResult, error === undefined ? { nonce, ok: true } : { nonce, ok: false, error });
  }
}
