import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMigratedDatabase, REPO_ROOT, spawnTs, type MigratedDatabase } from '../test-support';
import { seedCliAuditChain } from './cli-test-kit';
import { runCli } from './main';
import { findCommand, parseArgs, UsageError } from './command-table';

function runInProcess(argv: string[], env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

function runLauncher(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'vigil.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

describe('vigil audit (CLI, worker stopped)', () => {
  let db: MigratedDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createMigratedDatabase('sqlite');
    env = await seedCliAuditChain(db);
  });
  afterAll(() => db.destroy());

  it('exits 0 on a good chain and says how far it verified', async () => {
    const run = spawnTs('server/cli/main.ts', { args: ['audit', 'verify', '--full'], env });
    expect(await run.exited).toMatchObject({ code: 0 });
    expect(run.stdout()).toMatch(/^chain verified: 20 events, up to #20 \(\d{4}-.*Z\), 1 checkpoints, [\d,]+ events\/s/);
  });

  it('exports the checkpoints and the public key through the bin launcher', async () => {
    const file = db.dir.join('export.ndjson');
    const run = await runLauncher(['audit', 'checkpoints', '--export', file], env);
    expect(run.code).toBe(0);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; seq?: number });
    expect(lines).toMatchObject([{ kind: 'vigil.audit.public-key' }, { kind: 'vigil.audit.checkpoint', seq: 10 }]);
    expect(run.err).toMatch(/wrote 1 checkpoint lines/);
  });

  it('exports in-process too, to a file', async () => {
    const file = db.dir.join('export-2.ndjson');
    expect(await runInProcess(['audit', 'checkpoints', '--export', file], env)).toMatchObject({
      code: 0,
      err: expect.stringMatching(/wrote 1 checkpoint lines/),
    });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('exits 2 naming the variable on a bad environment', async () => {
    const run = spawnTs('server/cli/main.ts', { args: ['audit', 'verify'], env: { ...env, DATABASE_URL: 'mysql://nope' } });
    expect(await run.exited).toMatchObject({ code: 2 });
    expect(run.stderr()).toMatch(/DATABASE_URL/);
    expect(await runInProcess(['audit', 'verify'], { ...env, VIGIL_AUDIT_KEY_PATH: db.dir.join('missing.key') })).toMatchObject({
      code: 2,
      err: expect.stringMatching(/VIGIL_AUDIT_KEY_PATH: no signing key/),
    });
    expect(await runInProcess(['audit', 'checkpoints', '--export', '-'], { ...env, VIGIL_AUDIT_KEY_PATH: db.dir.join('missing.key') })).toMatchObject({
      code: 2,
    });
  });

  it('exits 2 with the usage on bad arguments', async () => {
    expect(await runInProcess(['audit', 'verify', '--bogus'], env)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown option --bogus\nusage: vigil audit verify/),
    });
    expect(await runInProcess(['audit', 'verify', 'extra'], env)).toMatchObject({ code: 2 });
    expect(await runInProcess(['audit', 'checkpoints'], env)).toMatchObject({ code: 2, err: expect.stringMatching(/--export FILE is required/) });
    expect(await runInProcess(['nonsense'], env)).toMatchObject({ code: 2, err: expect.stringMatching(/usage:/) });
    expect(await runInProcess(['--help'], env)).toMatchObject({ code: 0, out: expect.stringMatching(/vigil audit verify/) });
    expect(await runInProcess(['audit', 'verify'], { ...env, DATABASE_URL: `file:${db.dir.join('nothing-here', 'x.db')}` })).toMatchObject({ code: 2 });
  });

  it('exits 1 naming the first bad seq once the chain is tampered with', async () => {
    expect(await runInProcess(['audit', 'verify', '--full'], env)).toMatchObject({ code: 0 });
    await db.database.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "details" = '{"i":99}' WHERE "seq" = 7`);
    const run = spawnTs('server/cli/main.ts', { args: ['audit', 'verify', '--full'], env });
    expect(await run.exited).toMatchObject({ code: 1 });
    expect(run.stdout()).toMatch(/chain BROKEN at event #7: hash-mismatch/);
    const json = await runInProcess(['audit', 'verify', '--full', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, firstBadSeq: 7, problem: 'hash-mismatch' });
  });
});

describe('command table', () => {
  it('parses flags and options and picks the longest command', () => {
    expect(parseArgs(['--full', '--export=a', 'x'], { flags: ['full'], options: ['export'] })).toMatchObject({
      positionals: ['x'],
      options: new Map([['export', 'a']]),
    });
    expect(() => parseArgs(['--export'], { options: ['export'] })).toThrow(UsageError);
    const a = { path: ['audit'], usage: '', summary: '', run: async () => 0 };
    const b = { path: ['audit', 'verify'], usage: '', summary: '', run: async () => 0 };
    expect(findCommand([a, b], ['audit', 'verify', '--full'])).toEqual({ command: b, rest: ['--full'] });
  });
});
