#!/usr/bin/env node
// Generates one Prisma client per provider. SQLite and PostgreSQL need different
// query compilers, so prisma/postgres/schema.prisma is derived from the SQLite
// schema (the single source of truth) and both clients are generated side by side.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sqliteSchema = join(root, 'prisma', 'schema.prisma');
const postgresSchema = join(root, 'prisma', 'postgres', 'schema.prisma');

export function derivePostgresSchema(source) {
  return source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output     = "../node_modules/@vigil/prisma-sqlite"', 'output     = "../../node_modules/@vigil/prisma-postgres"')
    .replace(
      '// Source of truth for both providers. prisma/postgres/schema.prisma is derived\n// from this file by scripts/prisma-generate.mjs; edit here only.',
      '// Derived from prisma/schema.prisma by scripts/prisma-generate.mjs: do not edit.',
    );
}

function main() {
  mkdirSync(dirname(postgresSchema), { recursive: true });
  writeFileSync(postgresSchema, derivePostgresSchema(readFileSync(sqliteSchema, 'utf8')));
  const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  // prisma.config.ts picks its adapter from DATABASE_URL; a provider that does not
  // match the schema makes the CLI fall back to downloading a native engine.
  const targets = [
    { schema: sqliteSchema, url: 'file:./var/placeholder.db' },
    { schema: postgresSchema, url: 'postgresql://localhost/placeholder' },
  ];
  for (const { schema, url } of targets) {
    const env = { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
    execFileSync(process.execPath, [cli, 'generate', '--schema', schema], { stdio: ['ignore', 'ignore', 'inherit'], env, cwd: root });
  }
  process.stdout.write('vigil: generated Prisma clients for sqlite and postgresql\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
