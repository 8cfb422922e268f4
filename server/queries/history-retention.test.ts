import { afterEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { pruneHistory } from '../worker-chores';

const DAY = 86_400_000;
const NOW = new Date('2026-12-07T03:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

let db: MigratedDatabase | null = null;
afterEach(async () => {
  await db?.destroy();
  db = null;
});

function alert(id: string, state: string, resolvedAt: Date | null, firstAt = daysAgo(1)) {
  return {
    id,
    groupKey: id,
    rule: 'r',
    severity: 'high',
    labels: '{}',
    state,
    count: 1,
    pending: 0,
    firstSeq: 1,
    lastSeq: 1,
    firstAt,
    lastAt: firstAt,
    samples: '[]',
    resolvedAt,
  };
}

function delivery(id: string, alertId: string, state: string, createdAt: Date) {
  return { id, alertId, channel: 'hook', message: '{}', state, nextAttemptAt: createdAt, createdAt };
}

function post(id: string, fields: { kind: string; createdAt: Date; resolvedAt?: Date; endsAt?: Date }) {
  return { id, page: 'public', title: id, impact: 'minor', startsAt: fields.createdAt, createdBy: 'user:admin', ...fields };
}

describe.each(PROVIDERS)('alert and status-page retention on %s', (provider) => {
  it('removes only history that ended before the retention by Vigil’s own clock, and never a message still owed', async () => {
    db = await createMigratedDatabase(provider);
    const prisma = db.database.prisma;
    await prisma.alert.createMany({
      data: [
        alert('old-resolved', 'resolved', daysAgo(100)),
        // Its events claimed 1970, but Vigil resolved it yesterday: recent history.
        alert('backdated', 'resolved', daysAgo(1), new Date('1970-01-01T00:00:00Z')),
        alert('firing-for-months', 'firing', null, daysAgo(200)),
        alert('old-but-owed', 'resolved', daysAgo(120)),
      ],
    });
    await prisma.alertDelivery.createMany({
      data: [
        delivery('d-old-resolved', 'old-resolved', 'sent', daysAgo(100)),
        delivery('d-backdated', 'backdated', 'sent', daysAgo(1)),
        delivery('d-repeat-old', 'firing-for-months', 'sent', daysAgo(150)),
        delivery('d-repeat-failed', 'firing-for-months', 'failed', daysAgo(95)),
        delivery('d-repeat-new', 'firing-for-months', 'sent', daysAgo(2)),
        delivery('d-owed', 'old-but-owed', 'pending', daysAgo(120)),
      ],
    });
    await prisma.statusPost.createMany({
      data: [
        post('incident-old', { kind: 'incident', createdAt: daysAgo(400), resolvedAt: daysAgo(390) }),
        post('incident-open', { kind: 'incident', createdAt: daysAgo(400) }),
        post('maintenance-old', { kind: 'maintenance', createdAt: daysAgo(500), endsAt: daysAgo(480) }),
        // Written yesterday with a window that ended long ago: the operator's dates do not make it old.
        post('maintenance-backdated', { kind: 'maintenance', createdAt: daysAgo(1), endsAt: new Date('2000-01-01T00:00:00Z') }),
        post('maintenance-upcoming', { kind: 'maintenance', createdAt: daysAgo(400), endsAt: new Date(NOW.getTime() + DAY) }),
      ],
    });
    await prisma.statusPostUpdate.createMany({
      data: [
        { postId: 'incident-old', at: daysAgo(395), status: 'investigating', message: 'looking', author: 'user:admin' },
        { postId: 'incident-open', at: daysAgo(395), status: 'investigating', message: 'still looking', author: 'user:admin' },
      ],
    });

    const pruned = await pruneHistory(db.database, { alertRetentionMs: 90 * DAY, statusPostRetentionMs: 365 * DAY }, NOW);

    expect(pruned).toEqual({ alerts: 1, deliveries: 3, statusPosts: 2 });
    const alerts = (await prisma.alert.findMany({ orderBy: { id: 'asc' } })).map((row) => row.id);
    expect(alerts).toEqual(['backdated', 'firing-for-months', 'old-but-owed']);
    const deliveries = (await prisma.alertDelivery.findMany({ orderBy: { id: 'asc' } })).map((row) => row.id);
    expect(deliveries).toEqual(['d-backdated', 'd-owed', 'd-repeat-new']);
    const posts = (await prisma.statusPost.findMany({ orderBy: { id: 'asc' } })).map((row) => row.id);
    expect(posts).toEqual(['incident-open', 'maintenance-backdated', 'maintenance-upcoming']);
    const updates = (await prisma.statusPostUpdate.findMany()).map((row) => row.postId);
    expect(updates).toEqual(['incident-open']);

    // Zero keeps everything; a second pass finds nothing more.
    expect(await pruneHistory(db.database, { alertRetentionMs: 0, statusPostRetentionMs: 0 }, new Date(NOW.getTime() + 1000 * DAY))).toEqual({
      alerts: 0,
      deliveries: 0,
      statusPosts: 0,
    });
    expect(await pruneHistory(db.database, { alertRetentionMs: 90 * DAY, statusPostRetentionMs: 365 * DAY }, NOW)).toEqual({
      alerts: 0,
      deliveries: 0,
      statusPosts: 0,
    });
  });
});
