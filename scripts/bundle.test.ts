// The compiled worker and CLI (dist/): built from the sources, rebuilt when one changes, and
// working as the sources do, the audit verifier's thread included.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createEmptyDatabase,
  findFreePort,
  makeTempDir,
  PROVIDERS,
  REPO_ROOT,
  spawnNode,
  waitForHttp,
  workerEnvVars,
  type TempDir,
} from '../server/test-support';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { bundleEntry, ensureBundle, isBundleFresh } from './lib/bundle.mjs';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { workerArgs, workerEnv } from './lib/worker-runtime.mjs';

const SOURCES = ['server', 'lib', 'scripts', 'prisma', 'tsconfig.json', 'package.json', 'package-lock.json'];

/** A copy of the sources beside the real node_modules, so a test can change them freely. */
function copyOfTheSources(): TempDir {
  const tmp = makeTempDir('vigil-bundle-');
  for (const part of SOURCES) cpSync(join(REPO_ROOT, part), tmp.join(part), { recursive: true, filter: (source) => !/[\\/]\.tmp-/.test(source) });
  symlinkSync(join(REPO_ROOT, 'node_modules'), tmp.join('node_modules'));
  return tmp;
}

function vigil(root: string, args: string[], env: Record<string, string | undefined> = {}) {
  return spawnSync(process.execPath, [join(root, 'scripts', 'vigil.mjs'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
    encoding: 'utf8',
  });
}

describe('the compiled CLI', () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = copyOfTheSources();
  });
  afterAll(() => tmp.remove());

  it('is compiled on first use and answers --help from dist/', () => {
    expect(existsSync(tmp.join('dist'))).toBe(false);
    const run = vigil(tmp.path, ['--help']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('vigil snapshot list');
    expect(existsSync(bundleEntry(tmp.path, 'vigil'))).toBe(true);
    expect(isBundleFresh(tmp.path)).toBe(true);
  });

  it('is compiled again when a source changed, so the change is what runs', async () => {
    const table = tmp.join('server', 'cli', 'command-table.ts');
    writeFileSync(table, readFileSync(table, 'utf8').replace("['usage:',", "['usage (changed):',"));
    expect(isBundleFresh(tmp.path)).toBe(false);
    const run = vigil(tmp.path, ['--help']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^usage \(changed\):\n {2}vigil snapshot create/);
    expect(isBundleFresh(tmp.path)).toBe(true);
    expect(await ensureBundle(tmp.path)).toBe(false);
  });
});

describe.each(PROVIDERS)('the compiled worker (%s)', (provider) => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = copyOfTheSources();
    expect(await ensureBundle(tmp.path)).toBe(true);
  });
  afterAll(() => tmp.remove());

  it('serves /healthz, stops on SIGTERM, and its audit trail verifies in a thread of the compiled CLI', async () => {
    const db = await createEmptyDatabase(provider);
    try {
      const port = await findFreePort();
      const env = workerEnvVars({
        dataDir: db.dir.join('data'),
        databaseUrl: db.url,
        vars: { WORKER_PORT: String(port), LOG_LEVEL: 'info', VIGIL_INTEGRITY_SELF: 'false' },
      });
      // As the launcher runs it: Prisma's WebAssembly under Liftoff alone, the small young generation.
      const worker = spawnNode(workerArgs(tmp.path), { cwd: tmp.path, env: workerEnv(env) });
      try {
        await worker.waitForOutput(/"msg":"worker ready"/);
        await waitForHttp(port);
        expect((await api(port, '/healthz')).body).toMatchObject({ status: 'ok' });
      } finally {
        worker.kill('SIGTERM');
      }
      expect((await worker.exited).code, worker.stderr()).toBe(0);

      // --full scans off the main thread: dist/verify-range-thread.mjs must load beside its chunk.
      const verify = vigil(tmp.path, ['audit', 'verify', '--full', '--json'], env);
      expect(verify.status, verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    } finally {
      await db.destroy();
    }
  });
});
