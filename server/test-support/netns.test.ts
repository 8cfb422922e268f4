import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetnsHost, createNetnsHosts, httpStatusesFrom, NETNS_STALE_AFTER_MS, type NetnsHost } from './netns';

const namespaces = (): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter(Boolean);
const hostInterfaceExists = (name: string): boolean => existsSync(`/sys/class/net/${name}`);

/** Real network namespaces and veth pairs: the test hosts other tests use as distinct clients. */
describe('test hosts in network namespaces', () => {
  const made: NetnsHost[] = [];
  afterAll(async () => {
    for (const host of made) await host.destroy();
  });

  it('gives three hosts distinct addresses that each reach the host side, seen from their own address', async () => {
    const hosts = await createNetnsHosts(3);
    made.push(...hosts);
    expect(new Set(hosts.map((host) => host.name)).size).toBe(3);
    expect(new Set(hosts.map((host) => host.nsAddress)).size).toBe(3);
    for (const host of hosts) {
      expect(host.name).toMatch(/^vigil-/);
      expect(host.nsAddress).toMatch(/^10\./);
      expect(namespaces()).toContain(host.name);
    }

    const seen: string[] = [];
    const servers: Server[] = [];
    try {
      for (const host of hosts) {
        const server = createServer((req, res) => {
          seen.push(req.socket.remoteAddress ?? '');
          res.end('ok');
        });
        await new Promise<void>((resolve) => server.listen(0, host.hostAddress, resolve));
        servers.push(server);
      }
      for (const [i, host] of hosts.entries()) {
        const { port } = servers[i].address() as { port: number };
        expect(await httpStatusesFrom(host, `http://${host.hostAddress}:${port}/`, { count: 2 })).toEqual([200, 200]);
      }
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
    expect(seen).toEqual(hosts.flatMap((host) => [host.nsAddress, host.nsAddress]));
  });

  it('routes a namespace to its own link only: nothing else on the machine is reachable from it', async () => {
    const host = await createNetnsHost();
    made.push(host);
    const { stdout } = await host.exec('ip', ['-4', '-o', 'route', 'show']);
    const routes = stdout.trim().split('\n');
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatch(new RegExp(`^${host.hostAddress.replace(/\.\d+$/, '')}\\.\\d+/30 dev `));
    await expect(host.exec('ip', ['-4', 'route', 'get', '192.0.2.1'])).rejects.toThrow(/unreachable/i);
  });

  it('destroy() removes the namespace, its link and its route, and may be called twice', async () => {
    const host = await createNetnsHost();
    await host.destroy();
    await host.destroy();
    expect(namespaces()).not.toContain(host.name);
    expect(hostInterfaceExists(host.hostInterface)).toBe(false);
    expect(execFileSync('ip', ['-4', 'route', 'show', 'match', host.nsAddress], { encoding: 'utf8' })).not.toContain(host.hostInterface);
  });

  it('removes a namespace left by a killed run once it is old enough, and keeps a younger one', async () => {
    const longAgo = await createNetnsHost({ now: () => Date.now() - NETNS_STALE_AFTER_MS - 60_000 });
    const concurrent = await createNetnsHost();
    made.push(longAgo, concurrent);
    // A killed run never calls destroy(); the next setup finds its namespace by name and age.
    const next = await createNetnsHost();
    made.push(next);
    expect(namespaces()).not.toContain(longAgo.name);
    expect(namespaces()).toContain(concurrent.name);
    expect(hostInterfaceExists(longAgo.hostInterface)).toBe(false);
  });
});
