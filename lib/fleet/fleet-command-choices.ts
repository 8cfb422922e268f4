import { roleAtLeast, type Role } from '../auth/roles';
import type { FleetActionKind, FleetActionRequest } from './fleet-actions';
import type { FleetCommandUpdate, FleetCommandView, FleetHostStatus, FleetTarget } from './fleet-command-api';
import { ADMIN_FLEET_KINDS, FINAL_FLEET_STATUSES } from './fleet-kinds';

/** What the fleet page offers on one host, and on a selection of hosts. */
export const HOST_COMMAND_KINDS: readonly FleetActionKind[] = ['restart-module', 'snapshot-create', 'snapshot-restore', 'lockdown', 'lift-lockdown'];
/** What the top bar's Emergency button offers when the page is scoped to another host: the urgent ones first. */
export const EMERGENCY_COMMAND_KINDS: readonly FleetActionKind[] = ['lockdown', 'lift-lockdown', 'snapshot-restore', 'restart-module'];
export const SELECTION_COMMAND_KINDS: readonly FleetActionKind[] = ['isolate', 'release', 'lockdown', 'lift-lockdown'];

export const FLEET_KIND_LABELS: Record<FleetActionKind, string> = {
  'restart-module': 'Restart a module',
  'snapshot-create': 'Take a golden snapshot',
  'snapshot-restore': 'Restore a golden snapshot',
  lockdown: 'Lock down',
  'lift-lockdown': 'Lift lockdown',
  isolate: 'Isolate a source',
  release: 'Release a source',
};

/** Only what the role may send is offered: the console would refuse the rest anyway. */
export function kindsFor(role: Role, kinds: readonly FleetActionKind[]): FleetActionKind[] {
  return kinds.filter((kind) => !ADMIN_FLEET_KINDS.has(kind) || roleAtLeast(role, 'admin'));
}

/**
 * What must be typed before a command goes: a restore replaces files on a host (its name), a
 * lockdown of more than one host makes all of them refuse every request ("lockdown"). null: none.
 */
export function confirmationPhrase(kind: FleetActionKind, target: FleetTarget, hostName?: string): string | null {
  if (kind === 'snapshot-restore') return hostName ?? 'restore';
  if (kind === 'lockdown' && !('hostId' in target)) return 'lockdown';
  return null;
}

/** The form's text fields, as typed. */
export interface FleetCommandFields {
  source: string;
  reason: string;
  durationMinutes: string;
  module: string;
  snapshot: string;
  name: string;
}

/**
 * The action the form describes. The console's route checks it with the one schema every caller
 * goes through and names a bad field in its answer; here only what the form itself must have.
 */
export function actionOfFields(kind: FleetActionKind, fields: FleetCommandFields): { action: FleetActionRequest } | { error: string } {
  const reason = fields.reason.trim();
  const source = fields.source.trim();
  const duration = fields.durationMinutes.trim();
  const actions: Record<FleetActionKind, FleetActionRequest> = {
    isolate: { kind: 'isolate', source, reason, ...(duration && { durationMinutes: Number(duration) }) },
    release: { kind: 'release', source, reason },
    'restart-module': { kind: 'restart-module', module: fields.module, reason },
    lockdown: { kind: 'lockdown', reason },
    'lift-lockdown': { kind: 'lift-lockdown', reason },
    'snapshot-create': { kind: 'snapshot-create', name: fields.name.trim(), golden: true },
    'snapshot-restore': { kind: 'snapshot-restore', snapshot: fields.snapshot, reason },
  };
  if ((kind === 'isolate' || kind === 'release') && !source) return { error: 'source: name the address or range' };
  if (kind === 'restart-module' && !fields.module) return { error: 'module: choose one' };
  if (kind === 'snapshot-restore' && !fields.snapshot) return { error: 'snapshot: choose one' };
  if (duration && !/^\d+$/.test(duration)) return { error: 'durationMinutes: a whole number of minutes' };
  return { action: actions[kind] };
}

/** A name for a golden snapshot taken from the console: the host and the minute, so a list reads in order. */
export function goldenSnapshotName(hostName: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `golden-${hostName.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 40)}-${stamp}`;
}

/** How the history names a command: its kind and what it acts on. */
export function describeCommand(command: Pick<FleetCommandView, 'kind' | 'action'>): string {
  const { action } = command;
  const text = (key: string) => (typeof action[key] === 'string' ? (action[key] as string) : '');
  switch (command.kind) {
    case 'restart-module':
      return `Restart ${text('module')}`;
    case 'snapshot-create':
      return `Golden snapshot ${text('name')}`;
    case 'snapshot-restore':
      return `Restore ${text('snapshot')}`;
    case 'isolate':
      return `Isolate ${text('source')}${text('until') ? '' : ' until released'}`;
    case 'release':
      return `Release ${text('source')}`;
    case 'lockdown':
      return 'Lockdown';
    case 'lift-lockdown':
      return 'Lift lockdown';
    default:
      return command.kind;
  }
}

/** How the history names a target. */
export function describeTarget(target: Record<string, unknown>, hostCount: number): string {
  if (target.fleet === true) return `whole fleet (${hostCount})`;
  if (target.labels && typeof target.labels === 'object')
    return Object.entries(target.labels as Record<string, string>)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
  return `${hostCount} host${hostCount === 1 ? '' : 's'}`;
}

export type FleetStepShown = FleetHostStatus | 'expired';

/** A host that never answered a command whose lifetime passed will not answer it: shown as expired, as the console records it on its next look. */
export function shownStatus(status: FleetHostStatus, expiresAt: string, now: number): FleetStepShown {
  return !FINAL_FLEET_STATUSES.has(status) && now > 0 && Date.parse(expiresAt) <= now ? 'expired' : status;
}

/** One line for a command's state over all its hosts: the history's summary. */
export function commandSummary(command: Pick<FleetCommandView, 'hosts' | 'expiresAt'>, now: number): { done: number; failed: number; total: number } {
  const shown = command.hosts.map((host) => shownStatus(host.status, command.expiresAt, now));
  return {
    done: shown.filter((status) => status === 'succeeded').length,
    failed: shown.filter((status) => status === 'failed' || status === 'refused' || status === 'expired').length,
    total: shown.length,
  };
}

/** The history with one host's step applied; null when the command is not in it (a refetch brings it). */
export function withCommandUpdate(commands: readonly FleetCommandView[], update: FleetCommandUpdate): FleetCommandView[] | null {
  const index = commands.findIndex((command) => command.id === update.commandId);
  if (index < 0) return null;
  const command = commands[index];
  const hosts = command.hosts.map((host) =>
    host.hostId === update.hostId && !FINAL_FLEET_STATUSES.has(host.status)
      ? { ...host, status: update.status, message: update.message, progress: update.progress ?? host.progress, updatedAt: update.at }
      : host,
  );
  return commands.map((existing, i) => (i === index ? { ...command, hosts } : existing));
}
