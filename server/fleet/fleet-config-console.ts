import type { KeyObject } from 'node:crypto';
import {
  FLEET_CONFIG_EVENTS,
  fleetConfigAckSchema,
  type FleetConfigAssignmentView,
  type FleetConfigContent,
  type FleetConfigHostView,
  type FleetConfigPush,
  type FleetConfigRollback,
  type FleetConfigSave,
  type FleetConfigTarget,
  type FleetConfigVersionView,
  type SignedFleetConfigPush,
} from '@/lib/fleet/fleet-config-api';
import { effectiveAssignment, hostStateOf, type AssignmentVersion } from '@/lib/fleet/fleet-config-merge';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import {
  currentFleetConfigVersions,
  findFleetConfigAssignment,
  findFleetConfigHostState,
  findFleetConfigVersion,
  fleetConfigHostStates,
  fleetConfigVersionsOf,
  insertFleetConfigVersion,
  recordFleetConfigApplied,
  recordFleetConfigRejected,
} from '../queries/fleet-config';
import { commandableHosts } from '../queries/fleet-commands';
import { LOCAL_HOST_ID } from '../queries/hosts';
import { FleetError } from './fleet-error';
import { newNonce, signConfigPush } from './fleet-signing';

/** How long a push may travel; a host that missed it gets the then-current one at its next hello. */
const PUSH_TTL_MS = 60_000;

export interface FleetConfigConsoleDeps {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  consoleKey: KeyObject;
  /** The hub's delivery to one connected host; false when it is not connected. */
  emitTo: (hostId: number, event: string, payload: unknown) => boolean;
  connectedHostIds: () => number[];
  /** A host's configuration status changed: the fleet page's live feed. */
  onHostChanged?: (hostId: number) => void;
  /** With replicas: a save to announce, so that each pushes it to the agents it holds. */
  announceSaved?: (revision: number) => void;
}

type VersionRow = { id: number; version: number; content: string; actor: string; reason: string; createdAt: Date; restoredVersion: number | null };

const versionView = (row: VersionRow): FleetConfigVersionView => ({
  revision: row.id,
  version: row.version,
  actor: row.actor,
  reason: row.reason,
  createdAt: row.createdAt.toISOString(),
  restoredVersion: row.restoredVersion,
  content: JSON.parse(row.content) as Record<string, unknown>,
});

/**
 * Configuration assigned from the console: every save is a new immutable version, audited, and
 * pushed (signed, like a command) to the connected hosts it reaches; a host that was away gets
 * its effective assignment when it says hello again with an older one applied.
 */
export class FleetConfigConsole {
  constructor(private readonly deps: FleetConfigConsoleDeps) {}

  async save({ target, content, reason }: FleetConfigSave, actor: string): Promise<FleetConfigAssignmentView> {
    await this.checkTarget(target);
    return this.saveVersion({ target, content, reason, actor, restoredVersion: null });
  }

  /** Puts an earlier version's content back as the newest version: the history only grows. */
  async rollback(assignmentId: number, { version, reason }: FleetConfigRollback, actor: string): Promise<FleetConfigAssignmentView> {
    const prisma = this.deps.database.prisma;
    const assignment = await findFleetConfigAssignment(prisma, assignmentId);
    if (!assignment) throw new FleetError('assignment_not_found', `no configuration assignment ${assignmentId}`);
    const old = await findFleetConfigVersion(prisma, assignmentId, version);
    if (!old) throw new FleetError('version_not_found', `assignment ${assignmentId} has no version ${version}`);
    const target = JSON.parse(assignment.target) as FleetConfigTarget;
    return this.saveVersion({ target, content: JSON.parse(old.content) as FleetConfigContent, reason, actor, restoredVersion: version });
  }

  async assignments(): Promise<FleetConfigAssignmentView[]> {
    return (await currentFleetConfigVersions(this.deps.database.prisma)).map((row) => ({
      id: row.id,
      target: JSON.parse(row.target) as FleetConfigTarget,
      current: versionView(row.current),
    }));
  }

  async versions(assignmentId: number): Promise<FleetConfigVersionView[]> {
    const prisma = this.deps.database.prisma;
    if (!(await findFleetConfigAssignment(prisma, assignmentId))) throw new FleetError('assignment_not_found', `no configuration assignment ${assignmentId}`);
    return (await fleetConfigVersionsOf(prisma, assignmentId)).map(versionView);
  }

  /** Every enrolled host but the console's own: what it is assigned, what it applied, and whether it refused. */
  async hosts(): Promise<FleetConfigHostView[]> {
    const prisma = this.deps.database.prisma;
    const [hosts, assignments, states] = await Promise.all([commandableHosts(prisma), this.currentAssignments(), fleetConfigHostStates(prisma)]);
    const stateOf = new Map(states.map((state) => [state.hostId, state]));
    return hosts
      .filter((host) => host.id !== LOCAL_HOST_ID)
      .map((host) => {
        const effective = effectiveAssignment({ id: host.id, labels: JSON.parse(host.labels) as Record<string, string> }, assignments);
        const state = stateOf.get(host.id) ?? null;
        return {
          hostId: host.id,
          name: host.name,
          assignedRevision: effective.revision,
          appliedRevision: state?.appliedRevision ?? null,
          ...hostStateOf(effective.revision, state),
          parts: effective.parts,
        };
      });
  }

  /** A host said hello: it receives its effective assignment unless it already runs that revision. */
  async hostConnected(hostId: number): Promise<void> {
    try {
      const state = await findFleetConfigHostState(this.deps.database.prisma, hostId);
      await this.pushTo([hostId], (revision) => revision > 0 && state?.appliedRevision !== revision);
    } catch (error) {
      // The host stays connected; it is offered the configuration again at its next hello.
      this.deps.log.warn({ hostId, err: (error as Error).message }, 'could not push the configuration to a reconnected host');
    }
  }

  /** An agent's answer to a push: recorded, audited and announced. */
  async recordAck(hostId: number, raw: unknown): Promise<void> {
    const { database, audit, log } = this.deps;
    const ack = fleetConfigAckSchema.safeParse(raw);
    if (!ack.success) return void log.warn({ hostId }, 'ignored a malformed configuration answer');
    const { revision, ok, reason } = ack.data;
    try {
      const at = new Date();
      if (ok) await recordFleetConfigApplied(database.prisma, hostId, revision, at);
      else await recordFleetConfigRejected(database.prisma, hostId, revision, reason ?? 'no reason given', at);
      await audit.append({
        type: ok ? 'fleet.config_applied' : 'fleet.config_rejected',
        severity: ok ? 'info' : 'warning',
        actor: `host:${hostId}`,
        action: `configuration revision ${revision} ${ok ? 'applied' : 'rejected'} on host ${hostId}`,
        module: 'fleet',
        resource: `host:${hostId}`,
        reason: ok ? undefined : reason,
        method: 'fleet',
        details: { hostId, revision },
      });
      this.deps.onHostChanged?.(hostId);
    } catch (error) {
      log.warn({ hostId, err: (error as Error).message }, 'could not record a configuration answer');
    }
  }

  private async checkTarget(target: FleetConfigTarget): Promise<void> {
    if (!('hostId' in target)) return;
    if (target.hostId === LOCAL_HOST_ID)
      throw new FleetError('local_host_not_assignable', "host 1 is the console's own host: its configuration is its file and the Settings page");
    const hosts = await commandableHosts(this.deps.database.prisma);
    if (!hosts.some((host) => host.id === target.hostId)) throw new FleetError('host_not_found', `no enrolled, unrevoked host ${target.hostId}`);
  }

  private async saveVersion(next: {
    target: FleetConfigTarget;
    content: FleetConfigContent;
    reason: string;
    actor: string;
    restoredVersion: number | null;
  }): Promise<FleetConfigAssignmentView> {
    const { database, audit } = this.deps;
    const row = await insertFleetConfigVersion(database.prisma, { ...next, content: JSON.stringify(next.content) });
    await audit.append({
      type: 'fleet.config_assigned',
      severity: 'notice',
      actor: next.actor,
      action: next.restoredVersion === null ? `save configuration version ${row.version}` : `roll configuration back to version ${next.restoredVersion}`,
      module: 'fleet',
      resource: `fleet-config:${row.assignmentId}`,
      reason: next.reason,
      method: 'api',
      details: {
        assignmentId: row.assignmentId,
        version: row.version,
        revision: row.id,
        target: next.target,
        parts: Object.keys(next.content),
        restoredVersion: next.restoredVersion,
      },
    });
    // After the version and its audit event: an agent's answer always follows the save in the chain.
    await this.pushSaved(row.id);
    this.deps.announceSaved?.(row.id);
    return { id: row.assignmentId, target: next.target, current: versionView(row) };
  }

  /** A save (here, or on another replica) reaches the hosts connected here whose effective assignment it now is or changed. */
  async pushSaved(revision: number): Promise<void> {
    await this.pushTo(this.deps.connectedHostIds(), (effective) => effective >= revision);
  }

  private async currentAssignments(): Promise<AssignmentVersion[]> {
    return (await currentFleetConfigVersions(this.deps.database.prisma)).map((row) => ({
      assignmentId: row.id,
      target: JSON.parse(row.target) as FleetConfigTarget,
      revision: row.current.id,
      version: row.current.version,
      content: JSON.parse(row.current.content) as FleetConfigContent,
    }));
  }

  /** Signs each host's effective assignment and sends it to those of `hostIds` for which `wanted(revision)` holds. */
  private async pushTo(hostIds: number[], wanted: (revision: number) => boolean): Promise<void> {
    if (hostIds.length === 0) return;
    const remote = new Set(hostIds.filter((hostId) => hostId !== LOCAL_HOST_ID));
    const hosts = (await commandableHosts(this.deps.database.prisma)).filter((host) => remote.has(host.id));
    const assignments = await this.currentAssignments();
    for (const host of hosts) {
      const effective = effectiveAssignment({ id: host.id, labels: JSON.parse(host.labels) as Record<string, string> }, assignments);
      if (!wanted(effective.revision)) continue;
      const now = Date.now();
      const push: FleetConfigPush = {
        nonce: newNonce(),
        hostId: host.id,
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + PUSH_TTL_MS).toISOString(),
        revision: effective.revision,
        content: effective.content as Record<string, unknown>,
      };
      const signed: SignedFleetConfigPush = { push, signature: signConfigPush(this.deps.consoleKey, push) };
      this.deps.emitTo(host.id, FLEET_CONFIG_EVENTS.push, signed);
    }
  }
}
