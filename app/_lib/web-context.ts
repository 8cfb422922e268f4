import type { WebEnv } from '@/server/env/web-env';
import { webEnv } from './web-env';
import { openDatabase, type Database } from '@/server/db/client';
import { LoginThrottle } from '@/server/auth/login-throttle';
import { ApiTokenAuthenticator } from '@/server/auth/api-tokens';
import { WorkerClient } from '@/server/web/worker-client';
import { createLogger, type Logger } from '@/server/log';
import type { BlockList } from 'node:net';
import { parseCidrList } from '@/lib/net/client-address';

export interface WebContext {
  env: WebEnv;
  database: Database;
  throttle: LoginThrottle;
  tokens: ApiTokenAuthenticator;
  worker: WorkerClient;
  log: Logger;
  trustedProxies: BlockList;
}

const holder = globalThis as unknown as { vigilWebContext?: Promise<WebContext> };

/** Everything the web process shares across requests, created once (and kept across dev reloads). */
export function getWebContext(): Promise<WebContext> {
  holder.vigilWebContext ??= (async () => {
    const env = webEnv();
    const database = await openDatabase({ url: env.databaseUrl, busyTimeoutMs: env.sqliteBusyTimeoutMs });
    return {
      env,
      database,
      throttle: new LoginThrottle(),
      tokens: new ApiTokenAuthenticator(database),
      worker: new WorkerClient(env.workerUrl, env.secret),
      log: createLogger('web', env.logLevel),
      trustedProxies: parseCidrList(env.trustedProxies),
    };
  })();
  holder.vigilWebContext.catch(() => {
    holder.vigilWebContext = undefined;
  });
  return holder.vigilWebContext;
}
