#!/usr/bin/env node
// Writes prisma/migrations/<NNNN_name>/{sqlite.sql,postgres.sql,schema.prisma}: the SQL
// that takes each provider from the previous migration's datamodel to the current
// schema. `prisma migrate diff` runs on the WebAssembly schema engine, no download.
// Usage: node scripts/new-migration.mjs <name>
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePostgresSchema } from './prisma-generate.mjs';
import { readFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: node scripts/new-migration.mjs <name: lowercase letters, digits, _>');
  process.exit(2);
}
const migrationsDir = join(root, 'prisma', 'migrations');
mkdirSync(migrationsDir, { recursive: true });
const previous = readdirSync(migrationsDir)
  .filter((d) => /^\d{4}_/.test(d))
  .sort()
  .at(-1);
const number = String(previous ? Number(previous.slice(0, 4)) + 1 : 1).padStart(4, '0');
const dir = join(migrationsDir, `${number}_${name}`);
mkdirSync(dir);

const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const tmp = join(root, 'prisma', '.tmp-migration');
mkdirSync(tmp, { recursive: true });
try {
  const current = readFileSync(join(root, 'prisma', 'schema.prisma'), 'utf8');
  const providers = [
    {
      file: 'sqlite.sql',
      url: 'file:' + join(tmp, 'scratch.db'),
      to: current,
      from: previous && readFileSync(join(migrationsDir, previous, 'schema.prisma'), 'utf8'),
    },
    {
      file: 'postgres.sql',
      url: process.env.VIGIL_DEV_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
      to: derivePostgresSchema(current),
      from: previous && derivePostgresSchema(readFileSync(join(migrationsDir, previous, 'schema.prisma'), 'utf8')),
    },
  ];
  for (const p of providers) {
    const toPath = join(tmp, 'to.prisma');
    writeFileSync(toPath, p.to);
    const args = [cli, 'migrate', 'diff', '--to-schema-datamodel', toPath, '--script'];
    if (p.from) {
      const fromPath = join(tmp, 'from.prisma');
      writeFileSync(fromPath, p.from);
      args.push('--from-schema-datamodel', fromPath);
    } else {
      args.push('--from-empty');
    }
    const sql = execFileSync(process.execPath, args, {
      cwd: root,
      env: { ...process.env, DATABASE_URL: p.url, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    }).toString();
    writeFileSync(join(dir, p.file), sql);
  }
  copyFileSync(join(root, 'prisma', 'schema.prisma'), join(dir, 'schema.prisma'));
  console.log(`wrote ${dir}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (!existsSync(join(dir, 'sqlite.sql'))) process.exit(1);
