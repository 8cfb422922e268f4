import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, spawnTs, TEST_SECRET, waitFor, type TempDir } from '../test-support';
import { readTree, writeTree } from '../recovery/recovery-test-kit';
import { readWholeChainAt } from './cli-test-kit';
import { writeForeignStoreLock } from '../test-support/foreign-store-lock';

let tmp: TempDir;
let app: string;
let env: Record<string, string>;

function writeConfig(extra = ''): void {
  writeFileSync(
    tmp.join('vigil.config.yaml'),
    `snapshots:\n  includeVigilState: true\n  sources:\n    - name: app\n      path: ./app\n      exclude: ["*.log"]\n${extra}`,
  );
}

async function vigil(args: string[], more: Record<string, string> = {}) {
  const run = spawnTs('server/cli/main.ts', { args, env: { ...env, ...more } });
  const { code, signal } = await run.exited;
  return { code, signal, out: run.stdout(), err: run.stderr() };
}

beforeEach(() => {
  tmp = makeTempDir('vigil-snapcli-');
  app = tmp.join('app');
  writeTree(app, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`dir${i % 4}/file${i}.txt`, `content ${i}\n`])));
  writeConfig();
  // Port 9 (discard) has no worker: the CLI runs on its own, as it must with the worker stopped.
  env = { VIGIL_DATA_DIR: tmp.join('data'), VIGIL_CONFIG: tmp.join('vigil.config.yaml'), VIGIL_SECRET: TEST_SECRET, WORKER_PORT: '9', LOG_LEVEL: 'silent' };
});
afterEach(() => tmp.remove());

describe('vigil snapshot (worker stopped)', () => {
  it('create, list, verify and diff, with --json for scripts and audit events in the chain', async () => {
    const created = await vigil(['snapshot', 'create', '--name', 'base', '--tag', 'golden', '--json']);
    expect(created.code).toBe(0);
    const header = JSON.parse(created.out) as { name: string; files: number; tags: string[]; manifestHash: string };
    // 40 files plus Vigil's state: settings, console modules, allowlist, isolations (no integrity baseline: no worker ran).
    expect(header).toMatchObject({ name: 'base', files: 44, tags: ['golden'] });
    const listed = await vigil(['snapshot', 'list']);
    // Seconds after the create: on a busy machine the list may come late enough to say "12s ago".
    expect(listed.out).toMatch(/^NAME\s+TAGS\s+CREATED\s+FILES\s+SIZE\s+VERIFIED\nbase\s+golden\s+(?:just now|\d+s ago)\s+44\s/);
    expect(listed.out).toContain('warning: no verified golden snapshot');
    expect((await vigil(['snapshot', 'verify', 'base'])).out).toMatch(/^base: verified 44 files/);
    writeFileSync(path.join(app, 'dir0/file0.txt'), 'edited\n');
    const diff = await vigil(['snapshot', 'diff', 'base', '--json']);
    expect(JSON.parse(diff.out)).toEqual([expect.objectContaining({ path: 'app/dir0/file0.txt', change: 'changed' })]);
    const chain = await readWholeChainAt(tmp.join('data'));
    expect(chain.map((e) => e.type)).toEqual(['snapshot.created', 'snapshot.verified']);
    expect(chain[0].details).toMatchObject({ manifestHash: header.manifestHash });
  });

  it('exit codes: 2 for usage and unknown snapshots, 1 for damage, 3 while another restore is pending', async () => {
    expect((await vigil(['snapshot', 'create', '--name', 'a/b'])).code).toBe(2);
    expect((await vigil(['snapshot', 'verify'])).code).toBe(2);
    expect((await vigil(['snapshot', 'restore', 'nope'])).err).toMatch(/no snapshot named "nope"/);
    await vigil(['snapshot', 'create', '--name', 's']);
    const blobs = tmp.join('data', 'snapshots', 'blobs');
    const first = readdirSync(blobs)[0];
    const blob = path.join(blobs, first, readdirSync(path.join(blobs, first))[0]);
    writeFileSync(blob, 'damaged');
    const verify = await vigil(['snapshot', 'verify', 's']);
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(/s: DAMAGED, \d+ problems\n {2}corrupt /);
  });

  it('waits its turn while another process holds the store, saying for what, then runs', async () => {
    await vigil(['snapshot', 'create', '--name', 's']);
    const holder = spawn('sleep', ['120']);
    try {
      await new Promise((resolve) => holder.once('spawn', resolve));
      writeForeignStoreLock(tmp.join('data', 'snapshots'), holder.pid!, 'prune store');
      const run = spawnTs('server/cli/main.ts', { args: ['snapshot', 'verify', 's'], env });
      await waitFor(() => run.stderr().includes(`waiting for prune store (pid ${holder.pid}`), { timeoutMs: 30_000, what: 'the CLI saying what it waits for' });
      expect(run.stdout()).toBe('');
      // The holder dies without releasing, as a killed prune would: the waiting CLI takes over.
      holder.kill('SIGKILL');
      const { code } = await run.exited;
      expect(code, run.stderr()).toBe(0);
      expect(run.stdout()).toMatch(/^s: verified/);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a restore journal it cannot act on: list says why, restore refuses and changes nothing', async () => {
    await vigil(['snapshot', 'create', '--name', 's']);
    writeFileSync(tmp.join('data', 'snapshots', 'restore-journal.json'), '{"version": 2, "ops": [');
    writeFileSync(path.join(app, 'dir0/file0.txt'), 'edited\n');
    const before = readTree(app);
    expect((await vigil(['snapshot', 'list'])).out).toMatch(/warning: the restore journal .* is not valid JSON; nothing was changed/);
    const restore = await vigil(['snapshot', 'restore', 's']);
    expect(restore.code).toBe(1);
    expect(restore.err).toMatch(/restore journal .* is not valid JSON/);
    expect(readTree(app)).toEqual(before);
  });

  it('list reads the snapshot store alone: it neither creates nor migrates the database', async () => {
    const listed = await vigil(['snapshot', 'list']);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain('no snapshots yet');
    expect(listed.err).toBe('');
    expect(existsSync(tmp.join('data', 'vigil.db'))).toBe(false);
  });

  it('a config error stops the CLI and names the field', async () => {
    writeFileSync(tmp.join('vigil.config.yaml'), 'snapshots:\n  sources:\n    - name: app\n      paht: ./app\n');
    const run = await vigil(['snapshot', 'list']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/snapshots\.sources\.0/);
  });
});

describe('a restore killed with SIGKILL', () => {
  /** Changed files, a removed directory, an added file: about 30 restore steps to undo. */
  function damage(): void {
    for (let i = 0; i < 40; i += 3) writeFileSync(path.join(app, `dir${i % 4}/file${i}.txt`), `broken ${i}\n`);
    rmSync(path.join(app, 'dir1'), { recursive: true });
    writeFileSync(path.join(app, 'intruder.txt'), 'x');
  }

  async function prepare() {
    await vigil(['snapshot', 'create', '--name', 'good']);
    const snapshotTree = readTree(app);
    damage();
    return { snapshotTree, damagedTree: readTree(app) };
  }

  it('leaves a journal; --rollback returns exactly the tree from before the restore', async () => {
    const { damagedTree, snapshotTree } = await prepare();
    const killed = await vigil(['snapshot', 'restore', 'good', '--mirror'], { VIGIL_RESTORE_KILL_AFTER_OPS: '7' });
    expect(killed.signal).toBe('SIGKILL');
    const midway = readTree(app);
    expect(midway).not.toEqual(damagedTree);
    expect(midway).not.toEqual(snapshotTree);
    // Snapshotting a half-restored tree would preserve the very mix the journal exists to undo.
    const blocked = await vigil(['snapshot', 'create', '--name', 'meanwhile']);
    expect(blocked.code).toBe(3);
    const again = await vigil(['snapshot', 'restore', 'good']);
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/interrupted restore of good is pending.*--resume.*--rollback/);
    const rolledBack = await vigil(['snapshot', 'restore', '--rollback']);
    expect(rolledBack.code).toBe(0);
    expect(readTree(app)).toEqual(damagedTree);
    expect(readdirSync(app).filter((n) => n.startsWith('.vigil-restore-'))).toEqual([]);
    expect(existsSync(tmp.join('data', 'snapshots', 'restore-journal.json'))).toBe(false);
  });

  it('--resume finishes the restore from where it stopped', async () => {
    const { snapshotTree } = await prepare();
    for (const step of [1, 12, 25]) {
      const killed = await vigil(['snapshot', 'restore', 'good', '--mirror'], { VIGIL_RESTORE_KILL_AFTER_OPS: String(step) });
      expect(killed.signal).toBe('SIGKILL');
      const resumed = await vigil(['snapshot', 'restore', '--resume']);
      expect(resumed.code, resumed.err).toBe(0);
      expect(resumed.out).toMatch(/^restored good/);
      expect(readTree(app)).toEqual(snapshotTree);
      damage();
    }
  });

  it('killed while the restart hook runs: the new files are in place and --resume runs the hook and the gate again', async () => {
    const { snapshotTree } = await prepare();
    const hook = tmp.join('restart.sh');
    writeFileSync(hook, `#!/bin/sh\necho started >> ${tmp.join('restarts.log')}\nsleep 30\n`);
    chmodSync(hook, 0o755);
    writeConfig(`  hooks:\n    restart: ["${hook}"]\n    timeoutSeconds: 60\n`);
    const run = spawnTs('server/cli/main.ts', { args: ['snapshot', 'restore', 'good', '--mirror'], env });
    await waitFor(() => existsSync(tmp.join('restarts.log')));
    run.kill('SIGKILL');
    await run.exited;
    expect(readTree(app)).toEqual(snapshotTree);
    writeFileSync(hook, `#!/bin/sh\necho again >> ${tmp.join('restarts.log')}\n`);
    const resumed = await vigil(['snapshot', 'restore', '--resume']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(readTree(tmp.path)['restarts.log']).toBe('started\nagain\n');
    expect(readTree(app)).toEqual(snapshotTree);
    expect(existsSync(tmp.join('data', 'snapshots', 'restore-journal.json'))).toBe(false);
  });
});
