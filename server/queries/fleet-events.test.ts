import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/hash-chain';
import { toPendingEvent } from '../audit/pending-event';
import { createMigratedDatabase, PROVIDERS, readWholeChain, type MigratedDatabase } from '../test-support';
import { appendAuditBatch } from './audit';
import { commitHostEvents, type HostEvent } from './fleet-events';

const hostEvents = (from: number, count: number, label: string): HostEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    ...toPendingEvent({ type: 'custom', severity: 'info', actor: 'agent', action: `${label} ${from + i}` }),
    hostSeq: from + i,
  }));

describe.each(PROVIDERS)('agents’ events committed exactly once on %s', (provider) => {
  let db: MigratedDatabase;
  let web: number;
  let dbHost: number;

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    const prisma = db.database.prisma;
    web = (await prisma.host.create({ data: { name: 'web', publicKey: 'k' } })).id;
    dbHost = (await prisma.host.create({ data: { name: 'db', publicKey: 'k' } })).id;
  });
  afterEach(async () => {
    await db.destroy();
  });

  const cursorOf = async (id: number) => (await db.database.prisma.host.findUniqueOrThrow({ where: { id } })).eventSeq;

  it('skips a batch sent again, links the rest in order with the host, and the chain verifies', async () => {
    const first = hostEvents(1, 3, 'web');
    expect((await commitHostEvents(db.database, [{ hostId: web, afterSeq: 0, events: first }])).outcomes).toEqual([
      { hostId: web, status: 'committed', ackedSeq: 3, committed: 3, skipped: 0 },
    ]);
    // The acknowledgement was lost: the agent sends the same events again, with two more.
    const again = [...first, ...hostEvents(4, 2, 'web')];
    const { outcomes, chained } = await commitHostEvents(db.database, [{ hostId: web, afterSeq: 0, events: again }]);
    expect(outcomes).toEqual([{ hostId: web, status: 'committed', ackedSeq: 5, committed: 2, skipped: 3 }]);
    expect(chained.map((e) => e.action)).toEqual(['web 4', 'web 5']);
    // Once more, nothing new: acknowledged where it stands, nothing written.
    expect((await commitHostEvents(db.database, [{ hostId: web, afterSeq: 5, events: again.slice(3) }])).chained).toEqual([]);

    const chain = await readWholeChain(db.database);
    expect(chain.map((e) => [e.action, e.hostId])).toEqual([1, 2, 3, 4, 5].map((n) => [`web ${n}`, web]));
    expect(new Set(chain.map((e) => e.eventId)).size).toBe(5);
    expect(verifyChain(chain).ok).toBe(true);
    expect(await cursorOf(web)).toBe(5);
    // The cursor moves with the time of the commit, read back as the same instant on both databases.
    const at = new Date('2026-12-07T06:30:00.123Z');
    await commitHostEvents(db.database, [{ hostId: web, afterSeq: 5, events: hostEvents(6, 1, 'web') }], at);
    expect((await db.database.prisma.host.findUniqueOrThrow({ where: { id: web } })).lastSeen).toEqual(at);
  });

  it('refuses a batch that starts beyond what the chain holds, so a lost batch is never skipped', async () => {
    await commitHostEvents(db.database, [{ hostId: web, afterSeq: 0, events: hostEvents(1, 2, 'web') }]);
    const { outcomes, chained } = await commitHostEvents(db.database, [{ hostId: web, afterSeq: 4, events: hostEvents(5, 2, 'web') }]);
    expect(outcomes).toEqual([{ hostId: web, status: 'behind', ackedSeq: 2 }]);
    expect(chained).toEqual([]);
    expect(await cursorOf(web)).toBe(2);
  });

  it('commits several hosts in one transaction, each in its own order, beside the local writer', async () => {
    await appendAuditBatch(db.database, [toPendingEvent({ type: 'custom', severity: 'info', actor: 'system', action: 'local 1' })]);
    const { outcomes } = await commitHostEvents(db.database, [
      { hostId: web, afterSeq: 0, events: hostEvents(1, 2, 'web') },
      { hostId: dbHost, afterSeq: 0, events: hostEvents(10, 1, 'db') },
      { hostId: web, afterSeq: 2, events: hostEvents(3, 1, 'web') },
    ]);
    expect(outcomes.map((o) => o.status === 'committed' && o.ackedSeq)).toEqual([2, 10, 3]);
    // The local writer's head is stale now: its append relinks instead of forking the chain.
    await appendAuditBatch(db.database, [toPendingEvent({ type: 'custom', severity: 'info', actor: 'system', action: 'local 2' })], { seq: 1, hash: 'x' });
    const chain = await readWholeChain(db.database);
    expect(chain.map((e) => [e.action, e.hostId])).toEqual([
      ['local 1', 1],
      ['web 1', web],
      ['web 2', web],
      ['db 10', dbHost],
      ['web 3', web],
      ['local 2', 1],
    ]);
    expect(verifyChain(chain).ok).toBe(true);
    expect([await cursorOf(web), await cursorOf(dbHost)]).toEqual([3, 10]);
  });

  it('takes nothing from a revoked or unknown host', async () => {
    await db.database.prisma.host.update({ where: { id: web }, data: { revokedAt: new Date() } });
    const { outcomes, chained } = await commitHostEvents(db.database, [
      { hostId: web, afterSeq: 0, events: hostEvents(1, 2, 'web') },
      { hostId: 999, afterSeq: 0, events: hostEvents(1, 1, 'ghost') },
      { hostId: dbHost, afterSeq: 0, events: hostEvents(1, 1, 'db') },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['refused', 'refused', 'committed']);
    expect(chained.map((e) => e.action)).toEqual(['db 1']);
    expect(await cursorOf(web)).toBe(0);
  });
});
