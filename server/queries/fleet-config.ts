import { canonicalJson } from '@/lib/canonical-json';
import type { FleetConfigTarget } from '@/lib/fleet/fleet-config-api';
import type { Db } from '../db/client';

/** One assignment per target: the same labels in any order are the same target. */
export const targetKeyOf = (target: FleetConfigTarget) => ('hostId' in target ? `host:${target.hostId}` : `labels:${canonicalJson(target.labels)}`);

export interface NewFleetConfigVersion {
  target: FleetConfigTarget;
  content: string;
  actor: string;
  reason: string;
  restoredVersion?: number | null;
}

/**
 * Saves the next version of the target's assignment (creating the assignment on its first save).
 * Two saves racing for one version number: the unique index refuses the second, which retries
 * with the number after.
 */
export async function insertFleetConfigVersion(db: Db, next: NewFleetConfigVersion) {
  const targetKey = targetKeyOf(next.target);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const assignment = await tx.fleetConfigAssignment.upsert({
          where: { targetKey },
          create: { targetKey, target: JSON.stringify(next.target) },
          update: {},
        });
        const last = await tx.fleetConfigVersion.findFirst({ where: { assignmentId: assignment.id }, orderBy: { version: 'desc' }, select: { version: true } });
        return tx.fleetConfigVersion.create({
          data: {
            assignmentId: assignment.id,
            version: (last?.version ?? 0) + 1,
            content: next.content,
            actor: next.actor,
            reason: next.reason,
            restoredVersion: next.restoredVersion ?? null,
          },
          include: { assignment: true },
        });
      });
    } catch (error) {
      if (attempt >= 3 || (error as { code?: string }).code !== 'P2002') throw error;
    }
  }
}

/** Every assignment with its newest version. */
export async function currentFleetConfigVersions(db: Db) {
  const assignments = await db.fleetConfigAssignment.findMany({
    orderBy: { id: 'asc' },
    include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
  });
  return assignments.filter((assignment) => assignment.versions.length > 0).map(({ versions: [current], ...assignment }) => ({ ...assignment, current }));
}

export async function findFleetConfigAssignment(db: Db, id: number) {
  return db.fleetConfigAssignment.findUnique({ where: { id } });
}

/** Newest first. */
export async function fleetConfigVersionsOf(db: Db, assignmentId: number, limit = 200) {
  return db.fleetConfigVersion.findMany({ where: { assignmentId }, orderBy: { version: 'desc' }, take: limit });
}

export async function findFleetConfigVersion(db: Db, assignmentId: number, version: number) {
  return db.fleetConfigVersion.findUnique({ where: { assignmentId_version: { assignmentId, version } } });
}

export async function fleetConfigHostStates(db: Db) {
  return db.fleetConfigHostState.findMany();
}

export async function findFleetConfigHostState(db: Db, hostId: number) {
  return db.fleetConfigHostState.findUnique({ where: { hostId } });
}

/** The agent applied `revision`: an earlier refusal no longer stands. */
export async function recordFleetConfigApplied(db: Db, hostId: number, revision: number, at: Date): Promise<void> {
  await db.fleetConfigHostState.upsert({
    where: { hostId },
    create: { hostId, appliedRevision: revision, updatedAt: at },
    update: { appliedRevision: revision, rejectedRevision: null, reason: null, updatedAt: at },
  });
}

/** The agent refused `revision`; what it applied before stays in force there, and here. */
export async function recordFleetConfigRejected(db: Db, hostId: number, revision: number, reason: string, at: Date): Promise<void> {
  await db.fleetConfigHostState.upsert({
    where: { hostId },
    create: { hostId, rejectedRevision: revision, reason, updatedAt: at },
    update: { rejectedRevision: revision, reason, updatedAt: at },
  });
}
