import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, spawnTs, TEST_SECRET, type TempDir } from '../test-support';
import { startSftpServer, type SftpServer } from '../test-support/sftp-server';
import { readTree, writeTree } from '../recovery/recovery-test-kit';
import { initRepository, repoConfig } from '../test-support/restic';
import { readWholeChainAt } from './cli-test-kit';

let tmp: TempDir;
let sftp: SftpServer;
let env: Record<string, string>;
const PASSWORD = 'sftp repository password';
const tree = { 'etc/app.conf': 'mode=prod\n', 'www/index.html': '<h1>hello</h1>\n', 'www/logo.svg': '<svg/>\n' };

async function vigil(args: string[]) {
  const run = spawnTs('server/cli/main.ts', { args, env });
  const { code } = await run.exited;
  return { code, out: run.stdout(), err: run.stderr() };
}

function writeConfig(offsite: object[]): void {
  // JSON is YAML: the ssh command line needs no quoting this way.
  const snapshots = { includeVigilState: false, sources: [{ name: 'app', path: tmp.join('app') }], offsite };
  writeFileSync(tmp.join('vigil.config.yaml'), JSON.stringify({ snapshots }));
}

beforeAll(async () => {
  tmp = makeTempDir('vigil-offsite-cli-');
  writeTree(tmp.join('app'), tree);
  sftp = await startSftpServer(tmp.join('sshd'));
  const repo = repoConfig({
    name: 'remote',
    repository: sftp.repository(tmp.join('sftp-repo')),
    passwordFile: tmp.join('restic.pw'),
    options: { 'sftp.command': sftp.sftpCommand },
    keep: { last: 1 },
  });
  initRepository(repo, PASSWORD);
  writeConfig([repo]);
  env = { VIGIL_DATA_DIR: tmp.join('data'), VIGIL_CONFIG: tmp.join('vigil.config.yaml'), VIGIL_SECRET: TEST_SECRET, WORKER_PORT: '9', LOG_LEVEL: 'silent' };
}, 60_000);
afterAll(async () => {
  await sftp?.stop();
  tmp?.remove();
});

describe('vigil snapshot with an SFTP repository served by sshd', () => {
  it('copies golden snapshots at once, lists them, and restores one after the local store is lost', async () => {
    const created = await vigil(['snapshot', 'create', '--name', 'g1', '--tag', 'golden']);
    expect(created.code).toBe(0);
    writeTree(tmp.join('app'), { 'www/index.html': '<h1>v2</h1>\n' });
    expect((await vigil(['snapshot', 'create', '--name', 'm2'])).code).toBe(0);
    const copied = await vigil(['snapshot', 'copy', 'm2', '--to', 'remote']);
    expect(copied).toMatchObject({ code: 0, out: expect.stringMatching(/^copied m2 to remote \(restic snapshot [0-9a-f]{8}\)/) });

    const listed = await vigil(['snapshot', 'list', '--offsite', 'remote']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^NAME\s+ID\s+RESTIC\s+COPIED\s+VERIFIED\nm2\s.*\ng1\s/);

    const plan = await vigil(['snapshot', 'offsite', 'forget', 'remote']);
    expect(plan.out).toMatch(/^would remove 1 copies from remote, 1 kept\n {2}- g1 /);
    expect(plan.out).toContain('apply with: vigil snapshot offsite forget remote --apply');

    rmSync(tmp.join('data', 'snapshots'), { recursive: true, force: true });
    const restored = await vigil(['snapshot', 'restore', 'g1', '--from', 'remote', '--target', tmp.join('restored')]);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/^restored g1: 3 files/);
    expect(readTree(tmp.join('restored', 'app'))).toEqual({ ...tree, 'etc/': '', 'www/': '' });

    const checked = await vigil(['snapshot', 'offsite', 'check', 'remote', '--read-data-subset', '100%']);
    expect(checked).toMatchObject({
      code: 0,
      out: expect.stringMatching(/remote: restic check \(100% of the data\) passed; m2 restored and matched its manifest/),
    });

    const chain = (await readWholeChainAt(tmp.join('data'))).map((e) => e.type);
    expect(chain).toEqual([
      'snapshot.created',
      'snapshot.offsite_copied',
      'snapshot.created',
      'snapshot.offsite_copied',
      'snapshot.offsite_fetched',
      'snapshot.restored',
      'snapshot.offsite_checked',
    ]);
  }, 120_000);

  it('names the fault when the password is wrong or sshd is gone, and changes nothing', async () => {
    writeFileSync(tmp.join('restic.pw'), 'wrong\n');
    const wrong = await vigil(['snapshot', 'restore', 'g1', '--from', 'remote', '--target', tmp.join('never')]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/off-site repository remote: the password does not open it/);
    expect(wrong.err).not.toContain(PASSWORD);
    writeFileSync(tmp.join('restic.pw'), `${PASSWORD}\n`);
    await sftp.stop();
    const gone = await vigil(['snapshot', 'list', '--offsite', 'remote']);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/off-site repository remote: it cannot be reached/);
    expect(existsSync(tmp.join('never'))).toBe(false);
  }, 60_000);
});
