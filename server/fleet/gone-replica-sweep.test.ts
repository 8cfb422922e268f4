import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecentAuditEvents } from '../queries/audit-recent';
import { recordHostConnection } from '../queries/hosts';
import { createAuditedDatabase, silentLogger, type AuditedDatabase } from '../test-support';
import type { LeaderDuty } from '../ha/leader-duties';
import { sweepGoneReplicas } from './gone-replica-sweep';

/** Replicas share PostgreSQL: the sweep's statement is written for it. */
describe('the leader’s sweep of the hosts held by console replicas that are gone', () => {
  let audited: AuditedDatabase;
  let live: string[];
  let duty: LeaderDuty | null;
  const changed: number[] = [];

  beforeEach(async () => {
    audited = await createAuditedDatabase('postgresql');
    live = ['replica-a', 'replica-b'];
    duty = null;
    changed.length = 0;
  });
  afterEach(async () => {
    await duty?.stop?.();
    await audited.destroy();
  });

  async function hostOn(name: string, connection: string): Promise<number> {
    const prisma = audited.db.database.prisma;
    const id = (await prisma.host.create({ data: { name, publicKey: name } })).id;
    await recordHostConnection(prisma, id, { connected: true, at: new Date(), connection });
    return id;
  }

  const host = (id: number) => audited.db.database.prisma.host.findUniqueOrThrow({ where: { id } });

  function startSweep(goneAfterMs?: number) {
    const sweep = sweepGoneReplicas({
      cluster: { members: async () => live.map((node) => ({ node })) },
      duties: { add: (added) => void (duty = added) },
      database: audited.db.database,
      audit: audited.audit,
      log: silentLogger(),
      onHostChanged: (id) => changed.push(id),
      ...(goneAfterMs === undefined ? {} : { goneAfterMs, everyMs: 10 }),
    });
    duty!.start();
    return sweep;
  }

  it('marks away, once each, only the hosts of a replica missing from the cluster for long enough', async () => {
    const onA = await hostOn('web1', 'replica-a/s1');
    const onAb = await hostOn('web2', 'replica-ab/s2');
    const onB = await hostOn('db1', 'replica-b/s3');
    live = ['replica-b', 'replica-ab'];
    const sweep = startSweep(0);
    await sweep.sweep();
    await sweep.sweep();
    expect(await host(onA)).toMatchObject({ connected: false, connection: null });
    expect((await host(onA)).disconnectedSince).not.toBeNull();
    // A node id that only begins the same is another replica, and a live one keeps its hosts.
    expect(await host(onAb)).toMatchObject({ connected: true, connection: 'replica-ab/s2' });
    expect(await host(onB)).toMatchObject({ connected: true, connection: 'replica-b/s3' });
    expect(changed).toEqual([onA]);
    await audited.audit.flush();
    const recorded = await readRecentAuditEvents(audited.db.database, { types: ['fleet.agent_disconnected'], take: 10 });
    expect(recorded.map((e) => e.resource)).toEqual([`host:${onA}`]);
  });

  it('leaves the hosts of a replica that is back before its grace ends', async () => {
    const onA = await hostOn('web1', 'replica-a/s1');
    live = ['replica-b'];
    const sweep = startSweep(60_000);
    await sweep.sweep();
    live = ['replica-a', 'replica-b'];
    await sweep.sweep();
    expect(await host(onA)).toMatchObject({ connected: true, connection: 'replica-a/s1' });
    expect(changed).toEqual([]);
  });
});
