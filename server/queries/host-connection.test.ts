import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { markRemoteHostsDisconnected, recordHostConnection } from './hosts';

describe.each(PROVIDERS)("a host's connection on %s", (provider) => {
  let db: MigratedDatabase;
  let hostId: number;

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    hostId = (await db.database.prisma.host.create({ data: { name: 'web', publicKey: 'k' } })).id;
  });
  afterEach(async () => {
    await db.destroy();
  });

  const row = () => db.database.prisma.host.findUniqueOrThrow({ where: { id: hostId } });

  it('is marked away only by the connection that holds it: an older one ending late changes nothing', async () => {
    const prisma = db.database.prisma;
    await recordHostConnection(prisma, hostId, { connected: true, at: new Date(1000), connection: 'replica-a/1' });
    // The agent moved to replica b before replica a saw its socket close.
    await recordHostConnection(prisma, hostId, { connected: true, at: new Date(2000), connection: 'replica-b/7' });
    expect(await recordHostConnection(prisma, hostId, { connected: false, at: new Date(3000), connection: 'replica-a/1' })).toBe(false);
    expect(await row()).toMatchObject({ connected: true, disconnectedSince: null, connection: 'replica-b/7' });

    expect(await recordHostConnection(prisma, hostId, { connected: false, at: new Date(4000), connection: 'replica-b/7' })).toBe(true);
    expect(await row()).toMatchObject({ connected: false, disconnectedSince: new Date(4000), connection: null });
  });

  it.runIf(provider === 'postgresql')('clears at a replica’s start only the hosts that replica held', async () => {
    const prisma = db.database.prisma;
    const other = (await prisma.host.create({ data: { name: 'db', publicKey: 'k' } })).id;
    await recordHostConnection(prisma, hostId, { connected: true, at: new Date(1000), connection: 'replica-a/1' });
    await recordHostConnection(prisma, other, { connected: true, at: new Date(1000), connection: 'replica-ab/2' });
    await markRemoteHostsDisconnected(db.database, 'replica-a');
    expect(await row()).toMatchObject({ connected: false, connection: null });
    // A node id that only starts the same is another replica.
    expect(await prisma.host.findUniqueOrThrow({ where: { id: other } })).toMatchObject({ connected: true, connection: 'replica-ab/2' });
  });
});
