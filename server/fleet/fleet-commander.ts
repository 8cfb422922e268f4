import { randomUUID } from 'node:crypto';
import { roleAtLeast, type Role } from '@/lib/auth/roles';
import {
  ADMIN_FLEET_KINDS,
  DURABLE_FLEET_COMMAND_TTL_MS,
  DURABLE_FLEET_KINDS,
  fleetCommandResultSchema,
  type FleetActionRequest,
} from '@/lib/fleet/fleet-actions';
import type { FleetCommand } from '@/lib/fleet/fleet-api';
import type { FleetCommandIssued, FleetCommandRequest, FleetCommandUpdate, FleetCommandView, FleetHostStatus } from '@/lib/fleet/fleet-command-api';
import { HttpError } from '@/lib/http-error';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import {
  deliverableFleetCommands,
  endFleetIsolations,
  findFleetCommand,
  insertFleetCommand,
  overdueFleetCommandHosts,
  recordFleetCommandStep,
  scheduleFleetCommandResends,
} from '../queries/fleet-commands';
import { insertFleetIsolation, LOCAL_HOST_ID } from '../queries/hosts';
import { fleetCommandView } from './fleet-command-views';
import { runFleetAction, type FleetCommandServices, type FleetCommandStep } from './fleet-command-runner';
import { FleetCommandRateLimit } from './fleet-command-rate-limit';
import { FleetError } from './fleet-error';
import { firstResendAt, RESEND_AFTER_MS } from './fleet-command-resend';
import type { FleetHub } from './fleet-hub';
import { hostsOfTarget } from './fleet-targets';

/** A restart, a snapshot or a restore is for now: a host that comes back later must not run it by surprise. */
const ONE_SHOT_TTL_MS = 60_000;

export interface FleetCommanderDeps {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  live: Pick<LiveEmitter, 'emitFleetCommand'>;
  hub: FleetHub;
  /** Host 1 is this worker: its commands run here, with its own services (null until they exist). */
  localServices: () => FleetCommandServices | null;
}

function wireAction(action: FleetActionRequest, commandId: string, actor: string, now: number): FleetCommand['action'] {
  if (action.kind !== 'isolate') return { ...action, commandId, actor };
  const until = action.durationMinutes === undefined ? null : new Date(now + action.durationMinutes * 60_000).toISOString();
  return { kind: 'isolate', source: action.source, reason: action.reason, actor, until, commandId };
}

/**
 * Operators' commands to hosts of the fleet: each is recorded per host (pending, sent, then the
 * agent's answers), signed for each host it goes to, audited when issued and at every answer,
 * and streamed to the browsers as it progresses. A host that is away receives the durable ones
 * when it reconnects; the others fail as expired.
 */
type RecordedStep = { status: FleetHostStatus; message: string; progress?: FleetCommandStep['progress'] };

export class FleetCommander {
  /** The last step being recorded per command and host; the next one waits for it. */
  private readonly recording = new Map<string, Promise<void>>();
  private readonly rateLimit = new FleetCommandRateLimit();

  constructor(private readonly deps: FleetCommanderDeps) {}

  /** `actor` is how the audit names the caller (`user:alice`, `token:deploy`); `role` decides what they may send. */
  async issue({ target, action }: FleetCommandRequest, { actor, role }: { actor: string; role: Role }): Promise<FleetCommandIssued> {
    const { database, audit, hub } = this.deps;
    if (ADMIN_FLEET_KINDS.has(action.kind) && !roleAtLeast(role, 'admin'))
      throw new HttpError(403, 'forbidden', `${action.kind} needs the admin role; this caller is ${role}`);
    await this.rateLimit.take(actor);
    const hosts = await hostsOfTarget(database.prisma, target);
    if (hosts.length === 0) throw new FleetError('no_matching_hosts', 'no enrolled host matches the target');
    const now = Date.now();
    const id = randomUUID();
    const expiresAt = new Date(now + (DURABLE_FLEET_KINDS.has(action.kind) ? DURABLE_FLEET_COMMAND_TTL_MS : ONE_SHOT_TTL_MS));
    // Connected here or to another replica: the row says which hosts are connected somewhere.
    const connected = new Set([...hub.connectedHostIds(), ...hosts.filter((host) => host.connected).map((host) => host.id)]);
    const statusOf = (hostId: number): 'sent' | 'pending' => (hostId === LOCAL_HOST_ID || connected.has(hostId) ? 'sent' : 'pending');
    const wire = wireAction(action, id, actor, now);
    await insertFleetCommand(database.prisma, {
      id,
      kind: action.kind,
      action: JSON.stringify(wire),
      target: JSON.stringify(target),
      actor,
      createdAt: new Date(now),
      expiresAt,
      hosts: hosts.map((host) => ({ hostId: host.id, status: statusOf(host.id), resendAt: firstResendAt(action.kind, host.id, statusOf(host.id), now) })),
    });
    await this.recordFleetState(target, wire);
    await audit.append({
      type: 'fleet.command_issued',
      severity: 'notice',
      actor,
      action: `${action.kind} on ${hosts.length} hosts`,
      module: 'fleet',
      resource: `fleet-command:${id}`,
      reason: 'reason' in action ? action.reason : undefined,
      method: 'api',
      details: { commandId: id, kind: action.kind, target, action: wire, hosts: hosts.map((host) => host.id), expiresAt: expiresAt.toISOString() },
    });
    // Sent after the rows and the audit event: an answer always finds its row, and follows the issue in the chain.
    for (const host of hosts) this.deliver(host.id, wire, expiresAt);
    return { id, expiresAt: expiresAt.toISOString(), hosts: hosts.map((host) => ({ id: host.id, name: host.name, status: statusOf(host.id) })) };
  }

  async view(id: string): Promise<FleetCommandView> {
    await this.expireOverdue({ commandId: id });
    const command = await findFleetCommand(this.deps.database.prisma, id);
    if (!command) throw new FleetError('command_not_found', `no fleet command ${id}`);
    const names = new Map((await this.deps.hub.hosts()).map((host) => [host.id, host.name]));
    return fleetCommandView(command, names);
  }

  /** An agent's answer: recorded, audited (every step but progress, which is only streamed) and streamed. */
  async recordResult(hostId: number, raw: unknown): Promise<void> {
    const result = fleetCommandResultSchema.safeParse(raw);
    // Answers without a command id are those of the console's own fleet-wide isolations.
    if (!result.success) return;
    const { commandId, status, message, progress } = result.data;
    await this.record(commandId, hostId, { status, message, progress });
  }

  /** A host (re)connected: what expired while it was away fails, what may still reach it goes now. */
  async hostConnected(hostId: number): Promise<void> {
    try {
      const now = new Date();
      await this.expireOverdue({ hostId });
      const rows = await deliverableFleetCommands(this.deps.database.prisma, { hostId, now, durableKinds: [...DURABLE_FLEET_KINDS] });
      for (const row of rows) {
        const wire = JSON.parse(row.command.action) as FleetCommand['action'];
        if (row.status === 'pending') await this.record(row.commandId, hostId, { status: 'sent', message: 'delivered when the host reconnected' });
        this.deliver(hostId, wire, row.command.expiresAt);
      }
      // Sent just now: if this delivery is lost too, the resend finds them unanswered.
      const durable = rows.filter((row) => DURABLE_FLEET_KINDS.has(row.command.kind as FleetActionRequest['kind']));
      const resendAt = new Date(now.getTime() + RESEND_AFTER_MS);
      await scheduleFleetCommandResends(this.deps.database.prisma, { hostId, commandIds: durable.map((row) => row.commandId), resendAt });
    } catch (error) {
      // The host stays connected; what it missed goes at its next hello.
      this.deps.log.warn({ hostId, err: (error as Error).message }, 'could not deliver the fleet commands a reconnected host missed');
    }
  }

  private deliver(hostId: number, wire: FleetCommand['action'], notAfter: Date): void {
    if (hostId !== LOCAL_HOST_ID) return this.deps.hub.deliver(hostId, wire, notAfter);
    const services = this.deps.localServices();
    const commandId = wire.commandId!;
    if (!services) return void this.record(commandId, hostId, { status: 'failed', message: 'the console is still starting' });
    void runFleetAction(services, wire, (step) => void this.record(commandId, hostId, step));
  }

  /** Fleet-wide isolations and releases also change what hosts enrolled or reconnecting later receive. */
  private async recordFleetState(target: FleetCommandRequest['target'], wire: FleetCommand['action']): Promise<void> {
    if (!('fleet' in target)) return;
    const prisma = this.deps.database.prisma;
    if (wire.kind === 'isolate')
      await insertFleetIsolation(prisma, {
        source: wire.source,
        reason: wire.reason,
        actor: wire.actor,
        expiresAt: wire.until === null ? null : new Date(wire.until),
      });
    if (wire.kind === 'release') await endFleetIsolations(prisma, { source: wire.source, at: new Date() });
  }

  private async expireOverdue(where: { commandId?: string; hostId?: number }): Promise<void> {
    for (const row of await overdueFleetCommandHosts(this.deps.database.prisma, { now: new Date(), ...where })) {
      const message = row.status === 'pending' ? 'expired before the host reconnected' : 'expired without an answer from the host';
      await this.record(row.commandId, row.hostId, { status: 'failed', message });
    }
  }

  /**
   * One host's steps of one command are recorded in the order they came: an "accepted" waits for
   * its audit append while a "progress" has none, and would otherwise reach browsers (and the row)
   * after the progress it preceded.
   */
  private record(commandId: string, hostId: number, step: RecordedStep): Promise<void> {
    const key = `${commandId}:${hostId}`;
    const next = (this.recording.get(key) ?? Promise.resolve()).then(() => this.recordNow(commandId, hostId, step));
    this.recording.set(key, next);
    void next.then(() => {
      if (this.recording.get(key) === next) this.recording.delete(key);
    });
    return next;
  }

  private async recordNow(commandId: string, hostId: number, step: RecordedStep): Promise<void> {
    const { database, audit, live, log } = this.deps;
    const at = new Date();
    try {
      const progress = step.progress ? JSON.stringify(step.progress) : null;
      if (!(await recordFleetCommandStep(database.prisma, { commandId, hostId, status: step.status, message: step.message, progress, at }))) return;
      const command = await findFleetCommand(database.prisma, commandId);
      if (!command) return;
      if (step.status !== 'progress')
        await audit.append({
          type: 'fleet.command_result',
          severity: step.status === 'failed' || step.status === 'refused' ? 'warning' : 'info',
          actor: command.actor,
          action: `${command.kind} on host ${hostId}: ${step.status}`,
          module: 'fleet',
          resource: `host:${hostId}`,
          reason: step.message,
          method: 'fleet',
          details: { commandId, kind: command.kind, hostId, status: step.status },
        });
      const update: FleetCommandUpdate = {
        commandId,
        kind: command.kind,
        hostId,
        status: step.status,
        message: step.message,
        progress: step.progress ?? null,
        at: at.toISOString(),
      };
      live.emitFleetCommand(update);
    } catch (error) {
      log.warn({ commandId, hostId, err: (error as Error).message }, 'could not record a fleet command result');
    }
  }
}
