import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FLEET_CONFIG_EVENTS, type SignedFleetConfigPush } from '@/lib/fleet/fleet-config-api';
import { PROVIDERS } from '../test-support';
import { createAuditedDatabase, type AuditedDatabase } from '../test-support/audited-database';
import { silentLogger } from '../test-support/log';
import { readAuditPage } from '../queries/audit';
import { FleetConfigConsole } from './fleet-config-console';
import { configPushSignedBy } from './fleet-signing';

let store: AuditedDatabase | null = null;
afterEach(async () => {
  await store?.destroy();
  store = null;
});

const tcpModule = (name: string) => ({ name, kind: 'tcp', host: '127.0.0.1', port: 9 }) as never;

describe.each(PROVIDERS)('configuration assigned from the console, kept on %s', (provider) => {
  it('versions every save, rolls back as a new version, resolves each host and pushes to the hosts it reaches', { timeout: 60_000 }, async () => {
    store = await createAuditedDatabase(provider);
    const prisma = store.db.database.prisma;
    const web = await prisma.host.create({ data: { name: 'web1', labels: JSON.stringify({ role: 'web', site: 'fra' }), publicKey: 'k' } });
    const db = await prisma.host.create({ data: { name: 'db1', labels: JSON.stringify({ role: 'db', site: 'fra' }), publicKey: 'k' } });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const sent: Array<{ hostId: number; event: string; payload: SignedFleetConfigPush }> = [];
    const configs = new FleetConfigConsole({
      database: store.db.database,
      audit: store.audit,
      log: silentLogger(),
      consoleKey: privateKey,
      emitTo: (hostId, event, payload) => (sent.push({ hostId, event, payload: payload as SignedFleetConfigPush }), true),
      connectedHostIds: () => [1, web.id, db.id],
    });

    const first = await configs.save(
      { target: { labels: { role: 'web' } }, content: { modules: [tcpModule('a')] }, reason: 'web hosts probe a' },
      'user:admin',
    );
    expect(first.current).toMatchObject({ version: 1, actor: 'user:admin', restoredVersion: null });
    // Only the host with the label, never the console's own host.
    expect(sent.map((push) => push.hostId)).toEqual([web.id]);
    expect(sent[0].event).toBe(FLEET_CONFIG_EVENTS.push);
    expect(configPushSignedBy(publicKey, sent[0].payload.push, sent[0].payload.signature)).toBe(true);
    expect(sent[0].payload.push).toMatchObject({ hostId: web.id, revision: first.current.revision, content: { modules: [tcpModule('a')] } });

    await configs.save({ target: { labels: { role: 'web' } }, content: { modules: [tcpModule('b')] }, reason: 'web hosts probe b' }, 'user:admin');
    const rolled = await configs.rollback(first.id, { version: 1, reason: 'b was wrong' }, 'user:admin');
    expect(rolled.current).toMatchObject({ version: 3, restoredVersion: 1, content: { modules: [tcpModule('a')] } });
    expect((await configs.versions(first.id)).map((version) => [version.version, version.restoredVersion])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);

    // A host-specific assignment beats the label one for the part it sets; the label one still gives the rest.
    sent.length = 0;
    await configs.save(
      { target: { hostId: db.id }, content: { integrityPaths: [{ path: '/etc/db', exclude: [], critical: true }] }, reason: 'db files' },
      'user:admin',
    );
    let hosts = new Map((await configs.hosts()).map((host) => [host.name, host]));
    expect(hosts.get('web1')!.parts.modules).toEqual({ assignmentId: first.id, version: 3 });
    // Two selectors of one label each: the newer one gives the modules.
    await configs.save({ target: { labels: { site: 'fra' } }, content: { modules: [tcpModule('site')] }, reason: 'every fra host' }, 'user:admin');
    hosts = new Map((await configs.hosts()).map((host) => [host.name, host]));
    expect(hosts.get('web1')!.parts.modules).toMatchObject({ version: 1 });
    expect(hosts.get('web1')!.parts.modules!.assignmentId).not.toBe(first.id);
    expect(hosts.get('db1')!.parts).toMatchObject({ integrityPaths: { version: 1 }, modules: { version: 1 } });
    expect(hosts.get('db1')!.state).toBe('pending');
    const lastToDb = sent.filter((push) => push.hostId === db.id).at(-1)!.payload.push;
    expect(lastToDb.content).toEqual({ modules: [tcpModule('site')], integrityPaths: [{ path: '/etc/db', exclude: [], critical: true }] });

    // The agent's answers: applied, then a later revision refused with its reason.
    await configs.recordAck(db.id, { revision: lastToDb.revision, ok: true });
    expect((await configs.hosts()).find((host) => host.hostId === db.id)).toMatchObject({ state: 'applied', appliedRevision: lastToDb.revision });
    await configs.save(
      { target: { hostId: db.id }, content: { snapshotSources: [{ name: 'data', path: '/srv/db', exclude: [] }] }, reason: 'db data' },
      'user:admin',
    );
    const refused = sent.at(-1)!.payload.push.revision;
    await configs.recordAck(db.id, { revision: refused, ok: false, reason: 'snapshotSources.0.path: not here' });
    expect((await configs.hosts()).find((host) => host.hostId === db.id)).toMatchObject({
      state: 'rejected',
      reason: 'snapshotSources.0.path: not here',
      appliedRevision: lastToDb.revision,
      assignedRevision: refused,
    });

    await expect(configs.save({ target: { hostId: 1 }, content: {}, reason: 'the console itself' }, 'user:admin')).rejects.toMatchObject({
      code: 'local_host_not_assignable',
    });
    await expect(configs.rollback(first.id, { version: 99, reason: 'no such version' }, 'user:admin')).rejects.toMatchObject({ code: 'version_not_found' });

    await store.audit.flush();
    const types = (await readAuditPage(prisma, 0, 500)).map((event) => event.type);
    expect(types.filter((type) => type === 'fleet.config_assigned')).toHaveLength(6);
    expect(types).toContain('fleet.config_applied');
    expect(types).toContain('fleet.config_rejected');
  });
});
