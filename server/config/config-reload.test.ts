import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigStatus } from '@/lib/config/config-status';
import { internalToken } from '../auth/keys';
import {
  api,
  createEmptyDatabase,
  findFreePort,
  PROVIDERS,
  spawnTs,
  TEST_API_TOKEN,
  TEST_SECRET,
  waitFor,
  waitForHttp,
  workerEnvVars,
  type EmptyDatabase,
  type RunningProcess,
} from '../test-support';
import { readProcStat } from '../healing/process-group';

interface ModuleRow {
  name: string;
  pid: number | null;
}

const GOOD = (dir: string) =>
  [
    'modules:',
    `  - { name: sleeper, kind: process, command: ["${process.execPath}", "-e", "setInterval(() => {}, 1000)"], intervalSeconds: 1 }`,
    '  - { name: closed, kind: tcp, host: 127.0.0.1, port: 1, intervalSeconds: 30 }',
    `snapshots: { sources: [{ name: site, path: ${JSON.stringify(dir)} }] }`,
  ].join('\n');

describe.each(PROVIDERS)('a configuration file that does not validate, while the worker runs (%s)', (provider) => {
  let db: EmptyDatabase | null = null;
  let worker: RunningProcess | null = null;

  afterEach(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await db?.destroy();
    worker = null;
    db = null;
  });

  /** A real worker process over the good file; `info` logs are read by the test that checks what it says. */
  async function startWorkerProcess(logLevel: string) {
    db = await createEmptyDatabase(provider);
    const configFile = db.dir.join('vigil.config.yaml');
    writeFileSync(configFile, GOOD(db!.dir.path));
    const port = await findFreePort();
    const running = spawnTs('server/main.ts', {
      env: workerEnvVars({
        dataDir: db.dir.join('data'),
        databaseUrl: db.url,
        vars: { VIGIL_CONFIG: configFile, WORKER_PORT: String(port), LOG_LEVEL: logLevel },
      }),
    });
    worker = running;
    await waitForHttp(port, { isAlive: () => running.child.exitCode === null });
    return { configFile, port, running, dir: db.dir.path };
  }

  it('keeps the last good configuration and its modules, and says why in the log, the status and the audit trail', { timeout: 90_000 }, async () => {
    const { configFile, port, running } = await startWorkerProcess('info');
    const modules = async () => (await api<ModuleRow[]>(port, '/api/v1/modules', { token: TEST_API_TOKEN })).body;
    const status = async () =>
      (await api<{ configStatus: ConfigStatus }>(port, '/internal/v1/healing', { token: internalToken(TEST_SECRET) })).body.configStatus;
    const rejections = async () =>
      (await api<{ events: { reason: string }[] }>(port, '/api/v1/audit?type=config.reload_rejected', { token: TEST_API_TOKEN })).body.events;
    const pid = (await waitFor(async () => (await modules()).find((m) => m.name === 'sleeper' && m.pid !== null), { timeoutMs: 15_000 })).pid!;

    const attempts: [string, string | Buffer, RegExp][] = [
      ['modules: 5', 'modules: 5\n', /line 1: modules: must be a list/],
      ['an empty file', '', /the file is empty/],
      ['binary garbage', Buffer.concat([Buffer.from([0, 0xff, 0xfe]), randomBytes(512)]), /not UTF-8 text|NUL byte/],
      ['a typo in one module', GOOD(db!.dir.path).replace('kind: tcp', 'kind: tpc'), /line 3: modules\.closed\.kind/],
    ];
    for (const [what, content, why] of attempts) {
      const before = (await rejections()).length;
      writeFileSync(configFile, content);
      const refused = await waitFor(async () => ((await rejections()).length > before ? (await rejections())[0] : null), {
        timeoutMs: 10_000,
        what: `${what} to be refused`,
      });
      expect(refused.reason, what).toMatch(why);
      expect((await modules()).map((m) => m.name).sort(), what).toEqual(['closed', 'sleeper']);
      expect((await modules()).find((m) => m.name === 'sleeper')?.pid, what).toBe(pid);
      expect(readProcStat(pid)?.state, what).not.toBe('Z');
      expect(await status(), what).toMatchObject({ ok: false, error: expect.stringMatching(why), file: configFile });
    }
    expect(running.stdout()).toMatch(/configuration not reloaded: the last good configuration stays in force/);

    // A good file is applied again, and the status says so.
    writeFileSync(configFile, GOOD(db!.dir.path).replace('port: 1,', 'port: 2,'));
    await waitFor(async () => (await status()).ok, { timeoutMs: 10_000, what: 'the good file to be applied' });
    expect((await modules()).find((m) => m.name === 'sleeper')?.pid).toBe(pid);
  });

  it('an editor that truncates the file and then writes it never leaves the worker with no modules', { timeout: 60_000 }, async () => {
    const { configFile, port } = await startWorkerProcess('warn');
    const names = async () => (await api<ModuleRow[]>(port, '/api/v1/modules', { token: TEST_API_TOKEN })).body.map((m) => m.name);
    const sleeperPid = async () =>
      (await api<ModuleRow[]>(port, '/api/v1/modules', { token: TEST_API_TOKEN })).body.find((m) => m.name === 'sleeper')?.pid ?? null;
    const pid = await waitFor(sleeperPid, { timeoutMs: 15_000 });
    const seen = new Set<number>();
    for (let save = 0; save < 8; save++) {
      // Truncate, let the worker's poll (once a second) see the empty file now and then, then write.
      // The pause is the editor being simulated, a little longer each save (not a wait for the worker).
      const fd = openSync(configFile, 'r+');
      ftruncateSync(fd, 0);
      await new Promise((resolve) => setTimeout(resolve, 150 * save));
      writeSync(fd, GOOD(db!.dir.path));
      closeSync(fd);
      seen.add((await names()).length);
    }
    await waitFor(
      async () => (await api<{ configStatus: ConfigStatus }>(port, '/internal/v1/healing', { token: internalToken(TEST_SECRET) })).body.configStatus.ok,
      { timeoutMs: 10_000 },
    );
    seen.add((await names()).length);
    expect([...seen]).toEqual([2]);
    // Had "no modules" been applied for a moment, the supervised process would have been stopped and respawned.
    expect(await sleeperPid()).toBe(pid);
  });
});

describe('a start with a configuration file that does not validate', () => {
  it('is refused, naming the problem and its line', { timeout: 60_000 }, async () => {
    const db = await createEmptyDatabase('sqlite');
    let running: RunningProcess | null = null;
    try {
      const configFile = db.dir.join('vigil.config.yaml');
      writeFileSync(configFile, 'modules:\n  - { name: api, kind: http, url: "not a url" }\n');
      running = spawnTs('server/main.ts', {
        env: workerEnvVars({
          dataDir: db.dir.join('data'),
          databaseUrl: db.url,
          vars: { VIGIL_CONFIG: configFile, WORKER_PORT: String(await findFreePort()), LOG_LEVEL: 'info' },
        }),
      });
      const started = running.waitForOutput(/worker ready/).then(
        () => 'started' as const,
        () => null,
      );
      expect(await Promise.race([running.exited.then(({ code }) => code), started])).toBe(1);
      expect(running.stderr()).toContain(`vigil worker: VIGIL_CONFIG: ${configFile} is not valid:\n  line 2: modules.api.url: must be an http(s) URL`);
    } finally {
      // A worker that started after all must not outlive the test.
      running?.kill('SIGKILL');
      await running?.exited;
      await db.destroy();
    }
  });
});
