// `vigil snapshot offsite init` creates a configured restic repository, with its password from
// the configured file or variable, audits it, and refuses a repository that already exists.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, spawnTs, TEST_SECRET, type TempDir } from '../test-support';
import { resticPath } from '../test-support/restic';
import { readWholeChainAt } from './cli-test-kit';

let tmp: TempDir;
let env: Record<string, string>;
const FILE_PASSWORD = 'password from a file 7c1f';
const ENV_PASSWORD = 'password from the environment 91ab';

async function vigil(args: string[]) {
  const run = spawnTs('server/cli/main.ts', { args, env });
  const { code } = await run.exited;
  return { code, out: run.stdout(), err: run.stderr() };
}

/** What restic itself says of the repository, opened with `password`. */
function resticConfigOf(repository: string, password: string): { id: string } {
  const out = execFileSync(resticPath(), ['--repo', repository, '--no-cache', 'cat', 'config'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RESTIC_PASSWORD: password } as unknown as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  return JSON.parse(out) as { id: string };
}

beforeAll(() => {
  tmp = makeTempDir('vigil-offsite-init-');
  writeFileSync(tmp.join('restic.pw'), `${FILE_PASSWORD}\n`, { mode: 0o600 });
  const offsite = [
    { name: 'filed', repository: tmp.join('repo-filed'), passwordFile: tmp.join('restic.pw') },
    { name: 'from-env', repository: tmp.join('repo-env'), passwordEnv: 'VIGIL_TEST_RESTIC_PASSWORD' },
  ];
  writeFileSync(tmp.join('vigil.config.yaml'), JSON.stringify({ snapshots: { offsite } }));
  env = {
    VIGIL_DATA_DIR: tmp.join('data'),
    VIGIL_CONFIG: tmp.join('vigil.config.yaml'),
    VIGIL_SECRET: TEST_SECRET,
    VIGIL_TEST_RESTIC_PASSWORD: ENV_PASSWORD,
    WORKER_PORT: '9',
    LOG_LEVEL: 'silent',
  };
});
afterAll(() => tmp?.remove());

describe('vigil snapshot offsite init', () => {
  it('creates each repository with its configured password, and audits it', async () => {
    const filed = await vigil(['snapshot', 'offsite', 'init', 'filed', '--json']);
    expect(filed.code, filed.err).toBe(0);
    const result = JSON.parse(filed.out) as { repo: string; resticId: string };
    expect(result.repo).toBe('filed');
    expect(resticConfigOf(tmp.join('repo-filed'), FILE_PASSWORD).id.startsWith(result.resticId)).toBe(true);

    const fromEnv = await vigil(['snapshot', 'offsite', 'init', 'from-env']);
    expect(fromEnv.code, fromEnv.err).toBe(0);
    expect(fromEnv.out).toMatch(/^initialised from-env \(.*repo-env\), restic repository [0-9a-f]{8,}/);
    expect(resticConfigOf(tmp.join('repo-env'), ENV_PASSWORD).id).toMatch(/^[0-9a-f]{64}$/);

    for (const run of [filed, fromEnv]) expect(`${run.out}${run.err}`).not.toMatch(/password from/);
    const chain = await readWholeChainAt(tmp.join('data'));
    expect(chain.map((e) => [e.type, e.resource])).toEqual([
      ['snapshot.offsite_initialized', 'offsite:filed'],
      ['snapshot.offsite_initialized', 'offsite:from-env'],
    ]);
    expect(JSON.stringify(chain)).not.toMatch(/password from/);
  }, 60_000);

  it('refuses a repository that exists, an unknown name and a missing password, changing nothing', async () => {
    const again = await vigil(['snapshot', 'offsite', 'init', 'filed']);
    expect(again).toMatchObject({ code: 2, err: expect.stringContaining('off-site repository filed is already initialised: nothing was changed') });
    expect(resticConfigOf(tmp.join('repo-filed'), FILE_PASSWORD).id).toMatch(/^[0-9a-f]{64}$/);

    const unknown = await vigil(['snapshot', 'offsite', 'init', 'nowhere']);
    expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining('no off-site repository named "nowhere" (configured: filed, from-env)') });

    const saved = env;
    env = { ...env, VIGIL_TEST_RESTIC_PASSWORD: '' };
    writeFileSync(
      tmp.join('vigil.config.yaml'),
      JSON.stringify({ snapshots: { offsite: [{ name: 'late', repository: tmp.join('repo-late'), passwordEnv: 'VIGIL_TEST_RESTIC_PASSWORD' }] } }),
    );
    const noPassword = await vigil(['snapshot', 'offsite', 'init', 'late']);
    env = saved;
    expect(noPassword.code).toBe(1);
    expect(noPassword.err).toContain('the environment variable VIGIL_TEST_RESTIC_PASSWORD that should hold its password is not set');
    expect(existsSync(tmp.join('repo-late'))).toBe(false);

    const types = (await readWholeChainAt(tmp.join('data'))).slice(2).map((e) => e.type);
    expect(types).toEqual(['snapshot.offsite_init_failed', 'snapshot.offsite_init_failed']);
  }, 60_000);

  it('is listed in the usage', async () => {
    const help = await vigil(['--help']);
    expect(help.out).toContain('vigil snapshot offsite init REPOSITORY');
  });
});
