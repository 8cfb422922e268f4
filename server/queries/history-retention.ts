import type { Database } from '../db/client';
import { serializeSqliteWrite, toSqliteDate } from '../db/store';

export interface AlertHistoryPruned {
  alerts: number;
  deliveries: number;
}

/**
 * Removes alerts resolved before `cutoff` with their messages, and messages sent or given up
 * before it (a long-firing alert repeats for weeks). Every time compared is Vigil's own: when the
 * engine resolved the alert, when it wrote the message. An event's reported time never enters, so
 * a backdated event cannot make recent alert history look old. Pending messages are never touched:
 * the outbox still owes them.
 */
export async function pruneAlertHistory(database: Database, cutoff: Date): Promise<AlertHistoryPruned> {
  const { sqlite } = database;
  if (sqlite) {
    const at = toSqliteDate(cutoff);
    return serializeSqliteWrite(sqlite, () =>
      sqlite.transaction(() => {
        const deliveries = sqlite
          .prepare(
            `DELETE FROM "AlertDelivery" WHERE "state" <> 'pending' AND ("createdAt" < ? OR "alertId" IN (SELECT "id" FROM "Alert" WHERE "state" = 'resolved' AND "resolvedAt" < ?))`,
          )
          .run(at, at).changes;
        const alerts = sqlite
          .prepare(
            `DELETE FROM "Alert" WHERE "state" = 'resolved' AND "resolvedAt" < ? AND NOT EXISTS (SELECT 1 FROM "AlertDelivery" d WHERE d."alertId" = "Alert"."id")`,
          )
          .run(at).changes;
        return { alerts, deliveries };
      })(),
    );
  }
  const resolved = { state: 'resolved', resolvedAt: { lt: cutoff } };
  return database.prisma.$transaction(async (tx) => {
    const old = (await tx.alert.findMany({ where: resolved, select: { id: true } })).map((row) => row.id);
    const deliveries = await tx.alertDelivery.deleteMany({
      where: { state: { not: 'pending' }, OR: [{ createdAt: { lt: cutoff } }, { alertId: { in: old } }] },
    });
    const owed = new Set((await tx.alertDelivery.findMany({ where: { alertId: { in: old } }, select: { alertId: true } })).map((row) => row.alertId));
    const alerts = await tx.alert.deleteMany({ where: { id: { in: old.filter((id) => !owed.has(id)) } } });
    return { alerts: alerts.count, deliveries: deliveries.count };
  });
}

/**
 * Removes status-page posts that ended before `cutoff`: incidents resolved and maintenance
 * windows over. The post must also have been written before the cutoff, by Vigil's clock, since
 * an operator sets a maintenance window's end and may set it in the past.
 */
export async function pruneStatusPosts(database: Database, cutoff: Date): Promise<number> {
  const { sqlite } = database;
  const over = `"createdAt" < ? AND (("resolvedAt" IS NOT NULL AND "resolvedAt" < ?) OR ("kind" = 'maintenance' AND "endsAt" IS NOT NULL AND "endsAt" < ?))`;
  if (sqlite) {
    const at = toSqliteDate(cutoff);
    return serializeSqliteWrite(sqlite, () =>
      sqlite.transaction(() => {
        // The updates go first and by name: the cascade holds only where the connection enforces foreign keys.
        sqlite.prepare(`DELETE FROM "StatusPostUpdate" WHERE "postId" IN (SELECT "id" FROM "StatusPost" WHERE ${over})`).run(at, at, at);
        return sqlite.prepare(`DELETE FROM "StatusPost" WHERE ${over}`).run(at, at, at).changes;
      })(),
    );
  }
  const { count } = await database.prisma.statusPost.deleteMany({
    where: {
      createdAt: { lt: cutoff },
      OR: [{ resolvedAt: { lt: cutoff } }, { kind: 'maintenance', endsAt: { lt: cutoff } }],
    },
  });
  return count;
}
