import type { Db } from '../db/client';

/** Statuses after which nothing changes a command's row on a host. */
const FINAL = ['succeeded', 'failed', 'refused'];

export interface NewFleetCommand {
  id: string;
  kind: string;
  action: string;
  target: string;
  actor: string;
  createdAt: Date;
  expiresAt: Date;
  /** `resendAt`: when an unanswered durable command is first sent again (none when absent). */
  hosts: Array<{ hostId: number; status: 'pending' | 'sent'; resendAt?: Date | null }>;
}

export async function insertFleetCommand(db: Db, command: NewFleetCommand): Promise<void> {
  const { hosts, ...row } = command;
  await db.fleetCommand.create({
    data: { ...row, hosts: { create: hosts.map((host) => ({ ...host, updatedAt: command.createdAt })) } },
  });
}

export async function findFleetCommand(db: Db, id: string) {
  return db.fleetCommand.findUnique({ where: { id }, include: { hosts: { orderBy: { hostId: 'asc' } } } });
}

/** The newest commands first, each with its hosts' rows. */
export async function recentFleetCommands(db: Db, limit: number) {
  return db.fleetCommand.findMany({ orderBy: { createdAt: 'desc' }, take: limit, include: { hosts: { orderBy: { hostId: 'asc' } } } });
}

/** One step of a command on a host; false when the row is unknown or already final (a late or repeated answer). */
export async function recordFleetCommandStep(
  db: Db,
  step: { commandId: string; hostId: number; status: string; message: string | null; progress: string | null; at: Date },
): Promise<boolean> {
  const { count } = await db.fleetCommandHost.updateMany({
    where: { commandId: step.commandId, hostId: step.hostId, status: { notIn: FINAL } },
    data: {
      status: step.status,
      message: step.message,
      ...(step.progress !== null && { progress: step.progress }),
      // Answered for good: never sent again, and out of the resend's index range.
      ...(FINAL.includes(step.status) && { resendAt: null }),
      updatedAt: step.at,
    },
  });
  return count === 1;
}

/**
 * What a host that just connected should receive: commands never delivered to it, and the
 * idempotent (`durable`) ones delivered without an answer, all still within their expiry.
 */
export async function deliverableFleetCommands(db: Db, { hostId, now, durableKinds }: { hostId: number; now: Date; durableKinds: string[] }) {
  return db.fleetCommandHost.findMany({
    where: {
      hostId,
      command: { expiresAt: { gt: now } },
      OR: [{ status: 'pending' }, { status: 'sent', command: { kind: { in: durableKinds } } }],
    },
    include: { command: true },
    orderBy: { command: { createdAt: 'asc' } },
  });
}

/** Rows never answered (pending or sent) whose command expired, for one command or one host. */
export async function overdueFleetCommandHosts(db: Db, { now, commandId, hostId }: { now: Date; commandId?: string; hostId?: number }) {
  return db.fleetCommandHost.findMany({
    where: { commandId, hostId, status: { in: ['pending', 'sent'] }, command: { expiresAt: { lte: now } } },
    include: { command: { select: { kind: true, actor: true } } },
  });
}

/** A fleet-wide release: the source's fleet isolations end now, so no host receives them again. */
export async function endFleetIsolations(db: Db, { source, at }: { source: string; at: Date }): Promise<number> {
  const { count } = await db.fleetIsolation.updateMany({ where: { source, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] }, data: { expiresAt: at } });
  return count;
}

/** Hosts a command can go to: enrolled and not revoked. */
export async function commandableHosts(db: Db) {
  return db.host.findMany({ where: { revokedAt: null }, select: { id: true, name: true, labels: true, connected: true }, orderBy: { id: 'asc' } });
}

/** Rows of a host just sent their commands again (at its hello): each is due for a resend at `resendAt` if still unanswered. */
export async function scheduleFleetCommandResends(db: Db, { hostId, commandIds, resendAt }: { hostId: number; commandIds: string[]; resendAt: Date }) {
  if (commandIds.length === 0) return;
  await db.fleetCommandHost.updateMany({ where: { hostId, commandId: { in: commandIds }, status: { notIn: FINAL } }, data: { resendAt } });
}

/**
 * Durable commands of the hosts in `hostIds` due to be sent again: still without a final answer,
 * and nothing heard since `quietSince`. Found through the `resendAt` index, the oldest due first.
 */
export async function dueFleetCommandResends(
  db: Db,
  { hostIds, now, quietSince, durableKinds, take }: { hostIds: number[]; now: Date; quietSince: Date; durableKinds: string[]; take: number },
) {
  return db.fleetCommandHost.findMany({
    where: {
      resendAt: { lte: now },
      hostId: { in: hostIds },
      status: { notIn: FINAL },
      updatedAt: { lte: quietSince },
      command: { kind: { in: durableKinds } },
    },
    include: { command: { select: { kind: true, action: true, expiresAt: true } } },
    orderBy: { resendAt: 'asc' },
    take,
  });
}

/** Rows about to be sent again: the next resend, if they stay unanswered, is at `resendAt`; null for those that expired. */
export async function deferFleetCommandResends(db: Db, rows: Array<{ commandId: string; hostId: number }>, resendAt: Date | null): Promise<void> {
  if (rows.length === 0) return;
  await db.fleetCommandHost.updateMany({
    // Only rows still unanswered: a final answer that came first keeps them out of the index.
    where: { status: { notIn: FINAL }, OR: rows.map(({ commandId, hostId }) => ({ commandId, hostId })) },
    data: { resendAt, ...(resendAt !== null && { resends: { increment: 1 } }) },
  });
}
