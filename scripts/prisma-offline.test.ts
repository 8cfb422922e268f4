// Guards the offline install path: Prisma must generate and diff on the WebAssembly
// engines shipped in its npm packages, never downloading an engine binary, and the
// committed migrations must match the schema.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM helper without types
import { derivePostgresSchema } from './prisma-generate.mjs';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
// Inside the project: a schema elsewhere makes the CLI try to install Prisma next to it.
const work = mkdtempSync(path.join(root, 'prisma', '.tmp-offline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Any attempt to reach Prisma's binary mirror or the internet fails at once.
const offlineEnv = {
  ...process.env,
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  PRISMA_ENGINES_MIRROR: 'http://127.0.0.1:9',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

function prisma(args: string[], databaseUrl: string): string {
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...offlineEnv, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function engineBinaries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /(libquery_engine|query-engine|schema-engine|migration-engine)[^/]*$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.js'));
}

describe('Prisma without network', () => {
  it('generates both clients on the WebAssembly engines', () => {
    const schema = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
    const sqliteOut = path.join(work, 'sqlite-client');
    const sqliteSchema = path.join(work, 'sqlite.prisma');
    writeFileSync(sqliteSchema, schema.replace(/output\s*=\s*"[^"]*"/, `output     = "${sqliteOut}"`));
    prisma(['generate', '--schema', sqliteSchema], `file:${path.join(work, 'x.db')}`);
    expect(existsSync(path.join(sqliteOut, 'query_compiler_bg.wasm'))).toBe(true);

    const pgOut = path.join(work, 'pg-client');
    const pgSchema = path.join(work, 'pg.prisma');
    writeFileSync(pgSchema, derivePostgresSchema(schema).replace(/output\s*=\s*"[^"]*"/, `output     = "${pgOut}"`));
    prisma(['generate', '--schema', pgSchema], 'postgresql://localhost/unused');
    expect(existsSync(path.join(pgOut, 'query_compiler_bg.wasm'))).toBe(true);

    expect(engineBinaries(path.join(root, 'node_modules', '@prisma', 'engines'))).toEqual([]);
    expect(engineBinaries(path.join(root, 'node_modules', 'prisma'))).toEqual([]);
  }, 120_000);

  it('the committed migrations take an empty database to exactly the current schema', () => {
    const dir = path.join(root, 'prisma', 'migrations');
    const latest = readdirSync(dir)
      .filter((d) => /^\d{4}_/.test(d))
      .sort()
      .at(-1)!;
    const diff = prisma(
      [
        'migrate',
        'diff',
        '--from-schema-datamodel',
        path.join(dir, latest, 'schema.prisma'),
        '--to-schema-datamodel',
        path.join(root, 'prisma', 'schema.prisma'),
        '--script',
      ],
      `file:${path.join(work, 'diff.db')}`,
    );
    expect(diff.trim()).toBe('-- This is an empty migration.');
  }, 60_000);

  it('the PostgreSQL schema is the one derived from the SQLite schema', () => {
    const derived = derivePostgresSchema(readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8'));
    expect(readFileSync(path.join(root, 'prisma', 'postgres', 'schema.prisma'), 'utf8')).toBe(derived);
  });
});
