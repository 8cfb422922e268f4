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

/**
 * Spends one use of the token and creates the host in one transaction, so two agents cannot share its last use.
 * An agent that enrolled with this token and this key already (its answer was lost and it asked again: it
 * makes its key once, before the first attempt) gets its host back, `repeated`, and spends nothing.
 */
export async function redeemEnrollmentToken(
  db: Db,
  { tokenHash, now, host }: { tokenHash: string; now: Date; host: { name: string; publicKey: string } },
): Promise<{ id: number; labels: string; repeated: boolean } | null> {
  const redeem = () =>
    db.$transaction(async (tx) => {
      const token = await tx.enrollmentToken.findUnique({ where: { tokenHash } });
      if (!token) return null;
      const enrolled = await tx.host.findUnique({
        where: { enrollmentTokenId_publicKey: { enrollmentTokenId: token.id, publicKey: host.publicKey } },
      });
      if (enrolled) return enrolled.revokedAt ? null : { id: enrolled.id, labels: enrolled.labels, repeated: true };
      const spent = await tx.enrollmentToken.updateMany({
        where: { id: token.id, usesLeft: { gt: 0 }, expiresAt: { gt: now } },
        data: { usesLeft: { decrement: 1 } },
      });
      if (spent.count !== 1) return null;
      const created = await tx.host.create({
        data: { name: host.name, publicKey: host.publicKey, labels: token.labels, enrolledAt: now, enrollmentTokenId: token.id },
      });
      return { id: created.id, labels: created.labels, repeated: false };
    });
  try {
    return await redeem();
  } catch (error) {
    // The same agent's two requests at once: the one that lost the insert rolled back its use and finds the other's host.
    if ((error as { code?: string }).code !== 'P2002') throw error;
    return redeem();
  }
}

export async function insertEnrollmentToken(
  db: Db,
  token: { id: string; tokenHash: string; labels: string; usesLeft: number; expiresAt: Date; createdBy: string },
): Promise<void> {
  await db.enrollmentToken.create({ data: token });
}

/**
 * A connection takes the host's row (`connection` names it); a disconnect only changes a row its
 * connection still holds, so one that ended late, after the agent reconnected elsewhere, changes
 * nothing. False when it did not.
 */
export async function recordHostConnection(
  db: Db,
  id: number,
  { connected, at, connection }: { connected: boolean; at: Date; connection: string },
): Promise<boolean> {
  if (connected) {
    await db.host.updateMany({ where: { id }, data: { connected, lastSeen: at, disconnectedSince: null, connection } });
    return true;
  }
  const { count } = await db.host.updateMany({ where: { id, connection }, data: { connected, lastSeen: at, disconnectedSince: at, connection: null } });
  return count > 0;
}

/**
 * Writes a heartbeat to a row some connection holds. False when none does (the gone-replica sweep
 * released it, or the host was revoked): then nothing is written, and the caller decides whether
 * the connection it came over may take the row back first.
 */
export async function recordHostHeartbeat(
  db: Db,
  id: number,
  beat: { at: Date; healthScore: number | null; degradation: string | null; defenseMode: string; status: HostStatus | null },
): Promise<boolean> {
  const { count } = await db.host.updateMany({
    where: { id, revokedAt: null, connection: { not: null } },
    data: {
      lastSeen: beat.at,
      connected: true,
      healthScore: beat.healthScore,
      degradation: beat.degradation,
      defenseMode: beat.defenseMode,
      status: beat.status && JSON.stringify(beat.status),
    },
  });
  return count > 0;
}

/**
 * A live connection takes back a row nobody holds: one the gone-replica sweep released while its
 * replica was only cut off from the cluster, not dead. Never a row another connection holds (the
 * agent moved on), never a revoked host. True when it took the row back.
 */
export async function reclaimHostConnection(db: Db, id: number, { connection, at }: { connection: string; at: Date }): Promise<boolean> {
  const { count } = await db.host.updateMany({
    where: { id, revokedAt: null, connection: null },
    data: { connected: true, connection, lastSeen: at, disconnectedSince: null },
  });
  return count > 0;
}

/** False when the host does not exist, is the local one, or was revoked already. */
export async function revokeHost(db: Db, id: number, at: Date): Promise<boolean> {
  if (id === LOCAL_HOST_ID) return false;
  return (await db.host.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at, connected: false } })).count === 1;
}

/**
 * Remote hosts left marked connected by a console that stopped: none is, until it says hello again.
 * `ownNode` (replicas, on PostgreSQL only): just the hosts whose connection this node held, or nobody.
 */
export async function markRemoteHostsDisconnected(store: Store, ownNode?: string): Promise<void> {
  // At every start, fleet or not: on SQLite a statement of the driver's, so an idle worker needs no Prisma.
  const sqlite = sqliteOf(store);
  if (sqlite) {
    // Gone since they were last seen, at the latest: the console stopped without seeing them go.
    await serializeSqliteWrite(sqlite, () =>
      sqlite
        .prepare(
          `UPDATE "Host" SET "connected" = 0, "connection" = NULL, "disconnectedSince" = COALESCE("lastSeen", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) WHERE "id" <> ? AND "connected" = 1`,
        )
        .run(LOCAL_HOST_ID),
    );
    return;
  }
  const update = `UPDATE "Host" SET "connected" = false, "connection" = NULL, "disconnectedSince" = COALESCE("lastSeen", now() AT TIME ZONE 'UTC') WHERE "id" <> $1 AND "connected" = true`;
  if (ownNode === undefined) await prismaOf(store).$executeRawUnsafe(update, LOCAL_HOST_ID);
  else await prismaOf(store).$executeRawUnsafe(`${update} AND ("connection" IS NULL OR starts_with("connection", $2))`, LOCAL_HOST_ID, `${ownNode}/`);
}

/**
 * Among replicas on PostgreSQL: the hosts whose connection belongs to one of `goneNodes` (replicas
 * that died without their goodbyes) are marked away, as of their last sign of life. One statement,
 * so of two replicas sweeping at once only one gets each host back, and records it.
 */
export async function releaseHostsOfGoneReplicas(db: Db, goneNodes: string[]): Promise<Array<{ id: number; connection: string }>> {
  return db.$queryRawUnsafe<Array<{ id: number; connection: string }>>(
    `UPDATE "Host" h SET "connected" = false, "connection" = NULL, "disconnectedSince" = COALESCE(h."lastSeen", now() AT TIME ZONE 'UTC')
      FROM (SELECT "id", "connection" FROM "Host" WHERE "id" <> $1 AND "connected" = true AND "connection" IS NOT NULL FOR UPDATE) old
     WHERE h."id" = old."id" AND EXISTS (SELECT 1 FROM unnest($2::text[]) node WHERE starts_with(old."connection", node || '/'))
     RETURNING h."id", old."connection"`,
    LOCAL_HOST_ID,
    goneNodes,
  );
}

/** The replicas (node ids) holding some connected host's connection (`<node id>/<socket id>`). */
export async function nodesHoldingHosts(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ node: string }>>(
    `SELECT DISTINCT substring("connection" from '^(.*)/[^/]*$') AS node FROM "Host" WHERE "connected" = true AND "connection" IS NOT NULL`,
  );
  return rows.map((row) => row.node);
}

export async function insertFleetIsolation(db: Db, isolation: { source: string; reason: string; actor: string; expiresAt: Date | null }) {
  return db.fleetIsolation.create({ data: isolation });
}

/** The fleet-wide isolations still in force, oldest first: what a host that connects receives. */
export async function activeFleetIsolations(db: Db, now: Date) {
  return db.fleetIsolation.findMany({ where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, orderBy: { id: 'asc' } });
}
