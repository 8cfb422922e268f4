import type { HostStatus } from '@/lib/fleet/host-status';
import type { Db } from '../db/client';
import { prismaOf, serializeSqliteWrite, sqliteOf, type Store } from '../db/store';

/** The worker's own host: a single install is a fleet of one. */
export const LOCAL_HOST_ID = 1;

export async function listHosts(db: Db) {
  return db.host.findMany({ orderBy: { id: 'asc' } });
}

export async function findHost(db: Db, id: number) {
  return db.host.findUnique({ where: { id } });
}

/** Spends one use of the token and creates the host in one transaction, so two agents cannot share its last use. */
export async function redeemEnrollmentToken(
  db: Db,
  { tokenHash, now, host }: { tokenHash: string; now: Date; host: { name: string; publicKey: string } },
): Promise<{ id: number; labels: string } | null> {
  return db.$transaction(async (tx) => {
    const spent = await tx.enrollmentToken.updateMany({
      where: { tokenHash, usesLeft: { gt: 0 }, expiresAt: { gt: now } },
      data: { usesLeft: { decrement: 1 } },
    });
    if (spent.count !== 1) return null;
    const token = await tx.enrollmentToken.findUniqueOrThrow({ where: { tokenHash } });
    const created = await tx.host.create({ data: { name: host.name, publicKey: host.publicKey, labels: token.labels, enrolledAt: now } });
    return { id: created.id, labels: created.labels };
  });
}

export async function insertEnrollmentToken(
  db: Db,
  token: { id: string; tokenHash: string; labels: string; usesLeft: number; expiresAt: Date; createdBy: string },
): Promise<void> {
  await db.enrollmentToken.create({ data: token });
}

export async function recordHostConnection(db: Db, id: number, { connected, at }: { connected: boolean; at: Date }): Promise<void> {
  await db.host.updateMany({ where: { id }, data: { connected, lastSeen: at, disconnectedSince: connected ? null : at } });
}

export async function recordHostHeartbeat(
  db: Db,
  id: number,
  beat: { at: Date; healthScore: number | null; degradation: string | null; defenseMode: string; status: HostStatus | null },
): Promise<void> {
  await db.host.updateMany({
    where: { id, revokedAt: null },
    data: {
      lastSeen: beat.at,
      connected: true,
      healthScore: beat.healthScore,
      degradation: beat.degradation,
      defenseMode: beat.defenseMode,
      status: beat.status && JSON.stringify(beat.status),
    },
  });
}

/** False when the host does not exist, is the local one, or was revoked already. */
export async function revokeHost(db: Db, id: number, at: Date): Promise<boolean> {
  if (id === LOCAL_HOST_ID) return false;
  return (await db.host.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at, connected: false } })).count === 1;
}

/** Remote hosts left marked connected by a console that stopped: none is, until it says hello again. */
export async function markRemoteHostsDisconnected(store: Store): Promise<void> {
  // At every start, fleet or not: on SQLite a statement of the driver's, so an idle worker needs no Prisma.
  const sqlite = sqliteOf(store);
  if (sqlite) {
    // Gone since they were last seen, at the latest: the console stopped without seeing them go.
    await serializeSqliteWrite(sqlite, () =>
      sqlite
        .prepare(
          `UPDATE "Host" SET "connected" = 0, "disconnectedSince" = COALESCE("lastSeen", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) WHERE "id" <> ? AND "connected" = 1`,
        )
        .run(LOCAL_HOST_ID),
    );
    return;
  }
  await prismaOf(store).$executeRawUnsafe(
    `UPDATE "Host" SET "connected" = false, "disconnectedSince" = COALESCE("lastSeen", now() AT TIME ZONE 'UTC') WHERE "id" <> $1 AND "connected" = true`,
    LOCAL_HOST_ID,
  );
}

export async function insertFleetIsolation(db: Db, isolation: { source: string; reason: string; actor: string; expiresAt: Date | null }) {
  return db.fleetIsolation.create({ data: isolation });
}

/** The fleet-wide isolations still in force, oldest first: what a host that connects receives. */
export async function activeFleetIsolations(db: Db, now: Date) {
  return db.fleetIsolation.findMany({ where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, orderBy: { id: 'asc' } });
}
