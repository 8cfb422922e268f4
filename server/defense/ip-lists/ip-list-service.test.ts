import { realpathSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type VigilConfig } from '@/lib/config/config-schema';
import { blocklistSourceSchema } from '@/lib/defense/blocklist-config';
import { createAuditedDatabase, makeTempDir, readWholeChain, silentLogger, waitFor, type AuditedDatabase, type TempDir } from '../../test-support';
import { Allowlist } from '../allowlist';
import { BlocklistNotFoundError, IpListService } from './ip-list-service';
import { IpListState } from './ip-list-state';

describe('IpListService', () => {
  let audited: AuditedDatabase;
  let dir: TempDir;
  let root: string;
  beforeAll(async () => {
    audited = await createAuditedDatabase('sqlite');
    dir = makeTempDir('vigil-list-service-');
    root = realpathSync(dir.path);
  });
  afterAll(async () => {
    await audited?.destroy();
    dir?.remove();
  });

  it('reads lists as they are configured, withdraws removed ones and joins a refresh already running', async () => {
    writeFileSync(`${root}/a.txt`, '198.51.100.1\n');
    writeFileSync(`${root}/b.txt`, '203.0.113.0/24\n');
    const config: VigilConfig = defaultConfig();
    const configure = (...lists: Array<{ name: string; path: string }>) =>
      (config.defense = { ...config.defense, blocklists: lists.map((l) => blocklistSourceSchema.parse(l)) });
    configure({ name: 'a', path: `${root}/a.txt` });
    const state = new IpListState();
    const service = new IpListService({ state, allowlist: new Allowlist(), audit: audited.audit, log: silentLogger(), config: () => config });
    service.start();
    await waitFor(() => service.statuses()[0]?.lastRefreshAt, { what: 'list a read' });
    expect(state.match('198.51.100.1', Date.now())).toBe(true);

    configure({ name: 'b', path: `${root}/b.txt` });
    service.reconfigure();
    expect(state.match('198.51.100.1', Date.now())).toBe(false);
    const [joined, again] = await Promise.all([service.refreshNow({ name: 'b', actor: 'user:ann' }), service.refreshNow({ name: 'b', actor: 'user:ann' })]);
    expect(joined).toEqual(again);
    expect(service.statuses().map((s) => s.name)).toEqual(['b']);
    expect(state.match('203.0.113.5', Date.now())).toBe(true);
    await expect(service.refreshNow({ name: 'a', actor: 'user:ann' })).rejects.toBeInstanceOf(BlocklistNotFoundError);

    // Newly trusted or allowlisted in the file: cut out at once, and bouncers hear of it.
    state.poll('bouncer', true, Date.now());
    config.trustedProxies = [...config.trustedProxies, '203.0.113.0/25'];
    service.reconfigure();
    expect(state.match('203.0.113.5', Date.now())).toBe(false);
    expect(state.match('203.0.113.200', Date.now())).toBe(true);
    expect(service.statuses()[0]).toMatchObject({ intervals: 1, ranges: 1, excluded: 1 });
    expect(state.poll('bouncer', false, Date.now())).toMatchObject({ deleted: [{ value: '203.0.113.0/24' }], new: [{ value: '203.0.113.128/25' }] });

    service.close();
    service.reconfigure();
    const refreshed = await waitFor(
      async () => {
        const events = (await readWholeChain(audited.db.database)).filter((e) => e.type === 'defense.blocklist_refreshed');
        return events.length >= 2 ? events : null;
      },
      { what: 'refreshes audited' },
    );
    // One for a at start and one for b (the joined refresh ran once, or once more if b's first read had ended).
    expect(refreshed.length).toBeLessThanOrEqual(3);
  });
});
