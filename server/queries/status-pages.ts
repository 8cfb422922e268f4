import type { Db } from '../db/client';
import { prismaOf, sqliteOf, type Store } from '../db/store';

/** Console-defined status pages (the config file's live in the file); read at start, on the driver on SQLite. */
export async function listStoredStatusPages(store: Store): Promise<{ slug: string; definition: string }[]> {
  const sqlite = sqliteOf(store);
  if (sqlite) return sqlite.prepare('SELECT "slug", "definition" FROM "StatusPage" ORDER BY "slug"').all() as { slug: string; definition: string }[];
  return prismaOf(store).statusPage.findMany({ select: { slug: true, definition: true }, orderBy: { slug: 'asc' } });
}

export async function saveStatusPage(db: Db, input: { slug: string; definition: string; actor: string }): Promise<void> {
  await db.statusPage.upsert({
    where: { slug: input.slug },
    create: { slug: input.slug, definition: input.definition, createdBy: input.actor },
    update: { definition: input.definition },
  });
}

/** The page and its posts (their updates follow by cascade): a later page with the slug starts clean. */
export async function deleteStatusPage(db: Db, slug: string): Promise<boolean> {
  const [deleted] = await db.$transaction([db.statusPage.deleteMany({ where: { slug } }), db.statusPost.deleteMany({ where: { page: slug } })]);
  return deleted.count > 0;
}

export interface StatusPostInsert {
  id: string;
  page: string;
  kind: string;
  title: string;
  impact: string;
  startsAt: Date;
  endsAt: Date | null;
  createdBy: string;
  firstUpdate: { at: Date; status: string; message: string; author: string };
}

export async function insertStatusPost(db: Db, post: StatusPostInsert): Promise<void> {
  const { firstUpdate, ...row } = post;
  await db.statusPost.create({ data: { ...row, updates: { create: firstUpdate } } });
}

export async function findStatusPost(db: Db, id: string) {
  return db.statusPost.findUnique({ where: { id } });
}

/** Appends an update; a closing status also stamps the post resolved. */
export async function appendStatusPostUpdate(db: Db, input: { postId: string; at: Date; status: string; message: string; author: string; closes: boolean }) {
  const { closes, ...update } = input;
  await db.$transaction([
    db.statusPostUpdate.create({ data: update }),
    ...(closes ? [db.statusPost.update({ where: { id: input.postId }, data: { resolvedAt: input.at } })] : []),
  ]);
}

export async function deleteStatusPost(db: Db, id: string): Promise<boolean> {
  return (await db.statusPost.deleteMany({ where: { id } })).count > 0;
}

/**
 * A page's posts worth showing: open ones, maintenance not yet over, and anything closed or
 * ended since `since`. Updates newest first.
 */
export async function listStatusPosts(db: Db, page: string, since: Date) {
  return db.statusPost.findMany({
    where: { page, OR: [{ resolvedAt: null }, { resolvedAt: { gte: since } }] },
    include: { updates: { orderBy: { at: 'desc' }, take: 50 } },
    orderBy: { startsAt: 'desc' },
    take: 100,
  });
}

/** State changes of these modules since `from`, oldest first. */
export async function stateChangesSince(db: Db, modules: readonly string[], from: Date) {
  return db.moduleStateChange.findMany({
    where: { module: { in: [...modules] }, at: { gt: from } },
    select: { module: true, at: true, from: true, to: true },
    orderBy: { at: 'asc' },
  });
}

/** Daily roll-ups of these modules from `day` on. */
export async function moduleDailyStatsSince(db: Db, modules: readonly string[], day: string) {
  return db.moduleDailyStat.findMany({
    where: { module: { in: [...modules] }, day: { gte: day } },
    select: { module: true, day: true, probes: true, upMs: true, downMs: true, latencySumMs: true },
  });
}
