import type { StartedDatabase } from '../db/start-database';
import type { WorkerEnv } from '../env/worker-env';
import type { Router } from '../http/router';
import { ApiTokenAuthenticator, provisionEnvToken } from './api-tokens';

/** Who calls the machine API: API tokens (and the one from the environment, stored once the database answers). */
export function startAuth({ env, db, router }: { env: WorkerEnv; db: StartedDatabase; router: Router }) {
  const tokens = new ApiTokenAuthenticator(db.database);
  router.authenticateWith({ tokens, secret: env.secret });
  if (env.apiToken) {
    const token = env.apiToken;
    db.schema.whenReady(() => provisionEnvToken(db.database, token));
  }
  return { tokens, close: () => tokens.close() };
}
