import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigStatus } from '@/lib/config/config-status';
import { internalToken } from '../auth/keys';
import { runCli } from '../cli/main';
import {
  api,
  createEmptyDatabase,
  findFreePort,
  spawnTs,
  TEST_API_TOKEN,
  TEST_SECRET,
  waitFor,
  waitForHttp,
  workerEnvVars,
  type EmptyDatabase,
  type RunningProcess,
} from '../test-support';

interface ModuleRow {
  name: string;
  pid: number | null;
}

const SLEEPER = `  - { name: sleeper, kind: process, command: ["${process.execPath}", "-e", "setInterval(() => {}, 1000)"], intervalSeconds: 1 }`;

/** A file that uses every section added with alerting, status pages, off-site copies, conditions and blocklists, all valid. */
const GOOD = [
  'modules:',
  SLEEPER,
  '  - { name: api, kind: http, url: "http://127.0.0.1:1/health", intervalSeconds: 30, conditions: ["[STATUS] == 200"] }',
  'notifications: { channels: [{ name: ops, kind: webhook, url: "http://127.0.0.1:1/hook" }] }',
  'alerts: { rules: [{ name: page-ops, events: ["defense.*"], channels: [ops] }] }',
  'statusPages: [{ slug: public, title: Public, modules: [api] }]',
  'snapshots: { offsite: [{ name: remote, repository: /srv/restic, passwordEnv: RESTIC_PASSWORD }] }',
  'defense: { blocklists: [{ name: spamhaus, path: /etc/vigil/drop.txt }] }',
].join('\n');

/** One mistake in each newer section, and the field the refusal must name. */
const MISTAKES: [string, string, RegExp][] = [
  ['an alert rule with an upper-case event', GOOD.replace('events: ["defense.*"]', 'events: ["Defense.*"]'), /alerts\.rules\.0\.events\.0/],
  ['an alert rule naming no channel that exists', GOOD.replace('channels: [ops]', 'channels: [opps]'), /alerts\.rules\.0\.channels\.0.*opps/],
  ['a status page slug with a space', GOOD.replace('slug: public', 'slug: "Public Page"'), /statusPages\..*slug/],
  ['a status page with no modules', GOOD.replace('modules: [api] }', 'modules: [] }'), /statusPages\.public\.modules/],
  ['an off-site repository without a password', GOOD.replace(', passwordEnv: RESTIC_PASSWORD', ''), /snapshots\.offsite\.0\.passwordFile/],
  ['a module condition that does not parse', GOOD.replace('"[STATUS] == 200"', '"[STATUS] =="'), /modules\.api\.conditions\.0/],
  ['a blocklist with a relative path', GOOD.replace('path: /etc/vigil/drop.txt', 'path: drop.txt'), /defense\.blocklists\.0\.path/],
];

async function configCheck(file: string): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runCli(['config', 'check', file], { out: () => undefined, err: (text) => err.push(text), env: {} });
  return { code, err: err.join('\n') };
}

describe('a hot reload that breaks a newer section of the configuration file', () => {
  let db: EmptyDatabase;
  let worker: RunningProcess;
  let configFile: string;
  let port: number;

  beforeAll(async () => {
    db = await createEmptyDatabase('sqlite');
    configFile = db.dir.join('vigil.config.yaml');
    writeFileSync(configFile, GOOD);
    port = await findFreePort();
    worker = spawnTs('server/main.ts', {
      env: workerEnvVars({
        dataDir: db.dir.join('data'),
        databaseUrl: db.url,
        vars: { VIGIL_CONFIG: configFile, WORKER_PORT: String(port), LOG_LEVEL: 'warn', RESTIC_PASSWORD: 'not-used' },
      }),
    });
    await waitForHttp(port, { isAlive: () => worker.child.exitCode === null });
  }, 60_000);

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await db?.destroy();
  });

  it(
    'is checked by vigil config check, and the worker keeps the last good configuration, audited as config.reload_rejected',
    { timeout: 120_000 },
    async () => {
      expect(await configCheck(configFile)).toEqual({ code: 0, err: '' });
      const modules = async () => (await api<ModuleRow[]>(port, '/api/v1/modules', { token: TEST_API_TOKEN })).body;
      const status = async () =>
        (await api<{ configStatus: ConfigStatus }>(port, '/internal/v1/healing', { token: internalToken(TEST_SECRET) })).body.configStatus;
      const rejections = async () =>
        (await api<{ events: { reason: string }[] }>(port, '/api/v1/audit?type=config.reload_rejected', { token: TEST_API_TOKEN })).body.events;
      const pid = (await waitFor(async () => (await modules()).find((m) => m.name === 'sleeper' && m.pid !== null), { timeoutMs: 15_000 })).pid!;

      for (const [what, content, field] of MISTAKES) {
        const before = (await rejections()).length;
        writeFileSync(configFile, content);
        const checked = await configCheck(configFile);
        expect(checked.code, what).toBe(1);
        expect(checked.err, what).toMatch(field);
        const refused = await waitFor(async () => ((await rejections()).length > before ? (await rejections())[0] : null), {
          timeoutMs: 10_000,
          what: `${what} to be refused`,
        });
        expect(refused.reason, what).toMatch(field);
        expect(await status(), what).toMatchObject({ ok: false, file: configFile });
        expect((await modules()).map((m) => m.name).sort(), what).toEqual(['api', 'sleeper']);
        expect((await modules()).find((m) => m.name === 'sleeper')?.pid, what).toBe(pid);
      }

      writeFileSync(configFile, `${GOOD}\n# good again\n`);
      await waitFor(async () => (await status()).ok, { timeoutMs: 10_000, what: 'the good file to be applied' });
      expect((await modules()).find((m) => m.name === 'sleeper')?.pid).toBe(pid);
    },
  );
});
