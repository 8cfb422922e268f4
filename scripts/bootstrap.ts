// First step of `npm start`: validates the environment, applies migrations and makes
// sure an administrator can sign in. Prints one JSON line for the launcher.
import { loadWebEnv } from '../server/env/web-env';
import { EnvError } from '../server/env/env-error';
import { applyMigrations } from '../server/db/migrate';
import { openDatabase } from '../server/db/client';
import { ensureFirstAdmin, SetupError } from '../server/auth/first-admin';
import { loadWorkerEnv } from '../server/env/worker-env';
import { redactUrl, sqlitePathOf } from '../server/db/database-url';

async function main(): Promise<void> {
  const web = loadWebEnv();
  // The worker's variables are checked here too, so a typo stops the start before anything runs.
  loadWorkerEnv();
  const migrations = await applyMigrations(web.databaseUrl);
  const database = await openDatabase({ url: web.databaseUrl });
  try {
    const admin = await ensureFirstAdmin(database.prisma, web.bootstrapAdmin);
    process.stdout.write(
      `${JSON.stringify({ ok: true, admin, migrationsApplied: migrations.applied, dataDir: web.dataDir, database: web.databaseProvider, databaseUrl: redactUrl(web.databaseUrl), sqlitePath: web.databaseProvider === 'sqlite' ? sqlitePathOf(web.databaseUrl) : null })}\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof EnvError || error instanceof SetupError;
  const message = known ? (error as Error).message : `could not prepare the database: ${(error as Error).message}`;
  process.stdout.write(`${JSON.stringify({ ok: false, message })}\n`);
  process.exit(1);
});
