import { readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createMigratedDatabase, PROVIDERS, readWholeChain, TEST_SECRET, type MigratedDatabase } from '../test-support';
import { sha256Hex } from '../auth/keys';
import { runCli } from './main';

async function vigil(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const keyIn = (out: string) => /^\s+(vgl_\S+)$/m.exec(out)?.[1] ?? '';

describe.each(PROVIDERS)('vigil bouncer (%s)', (provider) => {
  let db: MigratedDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    env = {
      VIGIL_DATA_DIR: db.dir.path,
      DATABASE_URL: db.url,
      VIGIL_SECRET: TEST_SECRET,
      VIGIL_AUDIT_KEY_PATH: db.dir.join('audit.key'),
      LOG_LEVEL: 'silent',
      WORKER_PORT: '3650',
    };
  });
  afterEach(() => db.destroy());

  it('add makes a stream-only key, prints it once with a firewall-bouncer yaml, and audits without the secret', async () => {
    const added = await vigil(['bouncer', 'add', 'edge-fw'], env);
    expect(added).toMatchObject({ code: 0, err: '' });
    const key = keyIn(added.out);
    expect(key).toMatch(/^vgl_/);
    const yaml = parseYaml(added.out.slice(added.out.indexOf('# crowdsec-firewall-bouncer.yaml')));
    expect(yaml).toMatchObject({
      mode: 'nftables',
      api_url: 'http://127.0.0.1:3650/api/',
      api_key: key,
      update_frequency: '1s',
      blacklists_ipv4: 'vigil-edge-fw',
      nftables: { ipv4: { table: 'vigil-edge-fw', enabled: true } },
    });

    const token = await db.database.prisma.apiToken.findFirstOrThrow({ where: { tokenHash: sha256Hex(key) } });
    expect(token).toMatchObject({ name: 'bouncer edge-fw', role: 'viewer', scopes: '["isolations:read"]', revokedAt: null });
    const chain = await readWholeChain(db.database);
    const event = chain.find((e) => e.type === 'defense.bouncer_added');
    expect(event).toMatchObject({ actor: 'cli', resource: 'bouncer:edge-fw', details: { bouncer: 'edge-fw', role: 'viewer', scopes: ['isolations:read'] } });
    expect(JSON.stringify(chain)).not.toContain(key);

    // A second key under the same name would leave the first one pulling unseen.
    expect(await vigil(['bouncer', 'add', 'edge-fw'], env)).toMatchObject({ code: 1, err: expect.stringMatching(/exists already/) });
  });

  it('writes iptables and custom-bouncer files readable by their owner only, against the worker URL given', async () => {
    const ipt = await vigil(['bouncer', 'add', 'ipt', '--mode', 'iptables', '--worker-url', 'http://10.9.0.1:3001/', '--output', db.dir.join('fw.yaml')], env);
    expect(ipt.code).toBe(0);
    expect(statSync(db.dir.join('fw.yaml')).mode & 0o777).toBe(0o600);
    expect(parseYaml(readFileSync(db.dir.join('fw.yaml'), 'utf8'))).toMatchObject({
      mode: 'iptables',
      api_url: 'http://10.9.0.1:3001/api/',
      api_key: keyIn(ipt.out),
      ipset_type: 'nethash',
    });

    const custom = await vigil(['bouncer', 'add', 'script', '--custom', '--bin', '/opt/ban.sh', '--scopes', 'isolations:read,threats:read'], env);
    expect(custom.code).toBe(0);
    const yaml = parseYaml(custom.out.slice(custom.out.indexOf('# crowdsec-custom-bouncer.yaml')));
    expect(yaml).toMatchObject({ bin_path: '/opt/ban.sh', api_key: keyIn(custom.out), update_frequency: '1s', feed_via_stdin: false });
    const token = await db.database.prisma.apiToken.findFirstOrThrow({ where: { name: 'bouncer script' } });
    expect(token.scopes).toBe('["threats:read","isolations:read"]');
  });

  it('refuses what it cannot honour, with the usage', async () => {
    for (const argv of [
      ['bouncer', 'add'],
      ['bouncer', 'add', '../x'],
      ['bouncer', 'add', 'a', '--scopes', 'root'],
      ['bouncer', 'add', 'a', '--mode', 'pf'],
      ['bouncer', 'add', 'a', '--custom', '--mode', 'iptables'],
      ['bouncer', 'add', 'a', '--bin', '/x'],
      ['bouncer', 'add', 'a', '--worker-url', 'ftp://x'],
      ['bouncer', 'list', 'x'],
    ]) {
      expect(await vigil(argv, env), argv.join(' ')).toMatchObject({ code: 2, err: expect.stringContaining('usage: vigil bouncer') });
    }
    expect(await db.database.prisma.apiToken.count()).toBe(0);
  });

  it('list shows each bouncer; delete forgets it, revokes its key and audits', async () => {
    expect((await vigil(['bouncer', 'list'], env)).out).toMatch(/^no bouncers/);
    const key = keyIn((await vigil(['bouncer', 'add', 'fw1'], env)).out);
    const listed = await vigil(['bouncer', 'list'], env);
    expect(listed.out.split('\n')).toEqual([
      expect.stringMatching(/^NAME\s+IP ADDRESS\s+VERSION\s+LAST PULL\s+DELIVERED\s+STATUS$/),
      expect.stringMatching(/^fw1\s+-\s+-\s+never\s+0\s+pending$/),
    ]);
    expect(JSON.parse((await vigil(['bouncer', 'list', '--json'], env)).out)).toMatchObject({ bouncers: [{ name: 'fw1', status: 'pending', revoked: false }] });

    expect(await vigil(['bouncer', 'delete', 'fw1'], env)).toMatchObject({ code: 0 });
    expect(await db.database.prisma.apiToken.findFirstOrThrow({ where: { tokenHash: sha256Hex(key) } })).toMatchObject({ revokedAt: expect.any(Date) });
    expect(await vigil(['bouncer', 'delete', 'fw1'], env)).toMatchObject({ code: 1, err: 'vigil: no bouncer named fw1' });
    expect((await readWholeChain(db.database)).map((e) => e.type)).toEqual(['defense.bouncer_added', 'defense.bouncer_deleted']);
  });
});
