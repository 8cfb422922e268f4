// An idle worker on SQLite, with alerting (a channel and a rule) and a status page configured,
// runs its start-up, its health chores and the alert engine's passes on the driver's connection:
// Prisma's client (and its WebAssembly query compiler), prom-client and socket.io stay unloaded.
// Any of them costs megabytes of resident memory an idle worker does not need (BENCHMARKS.md,
// "Idle worker memory"); a Prisma read added to an idle path makes this test fail.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionEnvToken } from './auth/api-tokens';
import {
  createMigratedDatabase,
  findFreePort,
  spawnNode,
  TEST_API_TOKEN,
  waitFor,
  waitForHttp,
  workerEnvVars,
  type MigratedDatabase,
  type RunningProcess,
} from './test-support';
import { startStubHttpServer, type StubHttpServer } from './test-support/stub-http-server';

/** Packages an idle worker must not have loaded, matched against the loaded files' paths. */
const NOT_AT_IDLE = /[\\/]node_modules[\\/](@vigil[\\/]prisma-\w+|@prisma[\\/][\w-]+|prom-client|socket\.io)[\\/]/;

// Loaded before the worker: on SIGUSR2 it writes every CommonJS file loaded so far (the Prisma
// clients, prom-client and socket.io are CommonJS, also when imported from ES modules).
const LOADED_FILES_REPORTER = `
import { createRequire } from 'node:module';
import { renameSync, writeFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const report = process.env.LOADED_FILES_REPORT;
process.on('SIGUSR2', () => {
  writeFileSync(report + '.part', JSON.stringify(Object.keys(require.cache)));
  renameSync(report + '.part', report);
});
`;

describe('an idle worker on SQLite with alerting and a status page configured', () => {
  let db: MigratedDatabase;
  let hook: StubHttpServer;
  let worker: RunningProcess | null = null;
  beforeAll(async () => {
    db = await createMigratedDatabase('sqlite');
    // VIGIL_API_TOKEN as an earlier start stored it: a restart only reads it.
    await provisionEnvToken(db.database.prisma, TEST_API_TOKEN);
    hook = await startStubHttpServer((_request, res) => res.writeHead(200).end());
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await worker?.exited;
    await hook?.close();
    await db?.destroy();
  });

  it('loads neither Prisma nor prom-client nor socket.io through start-up, health chores and alert passes', async () => {
    const configPath = db.dir.join('vigil.config.yaml');
    writeFileSync(
      configPath,
      [
        'notifications:',
        `  channels: [{ name: hook, kind: webhook, url: "${hook.url}/in" }]`,
        'alerts:',
        '  rules: [{ name: web down, events: ["healing.*"] }]',
        'statusPages:',
        '  - { slug: public, title: Acme, modules: [{ module: web, label: Website }] }',
        '',
      ].join('\n'),
    );
    const reporter = db.dir.join('loaded-files-reporter.mjs');
    writeFileSync(reporter, LOADED_FILES_REPORTER);
    const report = db.dir.join('loaded-files.json');
    const port = await findFreePort();
    const env = workerEnvVars({
      dataDir: db.dir.join('data'),
      databaseUrl: db.url,
      vars: {
        WORKER_PORT: String(port),
        VIGIL_CONFIG: configPath,
        VIGIL_SAMPLE_INTERVAL_MS: '250',
        LOADED_FILES_REPORT: report,
      },
    });
    const started = spawnNode(['--import', reporter, '--import', 'tsx', 'server/main.ts'], { env });
    worker = started;
    await waitForHttp(port, { timeoutMs: 60_000, isAlive: () => started.child.exitCode === null }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${started.stderr()}`);
    });

    // Idle, as conditions: the alert engine has folded every event written at start (its pass
    // and the scheduling of the next one done), and the health chores stored several samples.
    const sqlite = db.database.sqlite!;
    const caughtUp = () => {
      const head = (sqlite.prepare('SELECT MAX("seq") AS "seq" FROM "AuditEvent"').get() as { seq: number | null }).seq;
      const cursor = sqlite.prepare('SELECT "value" FROM "Setting" WHERE "key" = ?').get('alerts.cursor') as { value: string } | undefined;
      const samples = (sqlite.prepare('SELECT COUNT(*) AS "n" FROM "HealthSample"').get() as { n: number }).n;
      return head !== null && cursor !== undefined && Number(cursor.value) === head && samples >= 3;
    };
    await waitFor(caughtUp, { timeoutMs: 30_000, what: 'alerting caught up with the audit chain and three health samples stored' });

    started.kill('SIGUSR2');
    await waitFor(() => existsSync(report), { what: 'the loaded-files report' });
    const loaded = JSON.parse(readFileSync(report, 'utf8')) as string[];
    // The reporter saw the worker's own dependencies: better-sqlite3 opened the database.
    expect(loaded.some((file) => /[\\/]node_modules[\\/]better-sqlite3[\\/]/.test(file))).toBe(true);
    expect(loaded.filter((file) => NOT_AT_IDLE.test(file))).toEqual([]);

    started.kill('SIGTERM');
    expect((await started.exited).code, started.stderr()).toBe(0);
  });
});
