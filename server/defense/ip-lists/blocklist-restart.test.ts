import { afterEach, describe, expect, it } from 'vitest';
import type { BlocklistsResponse, BlocklistStatus } from '@/lib/defense/blocklist-api';
import { createEmptyDatabase, waitFor, type EmptyDatabase } from '../../test-support';
import { spawnWorkerProcess, type WorkerProcess } from '../../test-support/dashboard-state';
import { internalCall } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';
import { startStubHttpServer, type StubHttpServer } from '../../test-support/stub-http-server';

const viaProxy = (port: number, client: string) => guardCheck(port, { headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } });

/** What a restart must not change about a list; the next refresh time is the new worker's own. */
const kept = ({ name, entries, intervals, ranges, excluded, lastRefreshAt, expiresAt }: BlocklistStatus) => ({
  name,
  entries,
  intervals,
  ranges,
  excluded,
  lastRefreshAt,
  expiresAt,
});

describe('an imported blocklist across a worker restart while its source is down', () => {
  let db: EmptyDatabase | null = null;
  let feed: StubHttpServer | null = null;
  let workers: WorkerProcess[] = [];

  afterEach(async () => {
    for (const w of workers) {
      w.running.kill('SIGTERM');
      await w.running.exited;
    }
    await feed?.close();
    await db?.destroy();
    workers = [];
    feed = null;
    db = null;
  });

  it('is enforced again at once with the counts and expiry it had, not dropped', { timeout: 120_000 }, async () => {
    db = await createEmptyDatabase('sqlite');
    feed = await startStubHttpServer((_request, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('# feed\n198.51.100.0/24\n203.0.113.7\n192.0.2.9\n'),
    );
    const config = `trustedProxies: ["127.0.0.1"]
allowlist: ["192.0.2.9"]
defense:
  blocklists:
    - { name: feed, url: "${feed.url}/drop.txt", refreshMinutes: 60 }
`;
    const dataDir = db.dir.join('data');
    const statuses = async (port: number) => (await internalCall<BlocklistsResponse>(port, '/internal/v1/defense/blocklists')).body.blocklists;

    const first = await spawnWorkerProcess({ dataDir, databaseUrl: db.url, config, integrityScan: false });
    workers.push(first);
    const [before] = await waitFor(async () => ((await statuses(first.port)).every((s) => s.lastRefreshAt !== null) ? statuses(first.port) : null), {
      what: 'the list read at start',
    });
    expect(kept(before)).toMatchObject({ entries: 3, excluded: 1 });
    expect((await viaProxy(first.port, '198.51.100.20')).status).toBe(403);

    first.running.kill('SIGKILL');
    await first.running.exited;
    await feed.close();
    feed = null;

    const second = await spawnWorkerProcess({ dataDir, databaseUrl: db.url, config, integrityScan: false });
    workers.push(second);
    // The new worker tried the source and failed: what it enforces now can only come from what it kept.
    const [after] = await waitFor(async () => ((await statuses(second.port)).every((s) => s.lastError !== null) ? statuses(second.port) : null), {
      what: 'the refresh at start to fail',
    });
    expect(kept(after)).toEqual(kept(before));
    expect((await viaProxy(second.port, '198.51.100.20')).status).toBe(403);
    expect((await viaProxy(second.port, '203.0.113.7')).status).toBe(403);
    expect((await viaProxy(second.port, '192.0.2.9')).status).toBe(204);
  });
});
