import { HttpError } from '@/lib/http-error';
import { canAdminister, canOperate, canView } from '@/lib/auth/roles';
import { moduleSchema, readsSecrets, runsCommands } from '@/lib/healing/module-schema';
import { apiRoute } from '@/app/_lib/api-route';
import { healingActorOf } from '@/app/_lib/actor';

/** Every module with its state, latency and restarts (the config file's and the console's). */
export const GET = apiRoute({
  authorize: canView,
  handler: async ({ web }) => (await web.worker.healingOverview()).modules,
});

/** Defines (or redefines) a console module; one that makes the worker run a program is for admins only. */
export const POST = apiRoute({
  authorize: canOperate,
  body: moduleSchema,
  handler: ({ web, principal, body }) => {
    if (runsCommands(body) && !canAdminister(principal)) throw new HttpError(403, 'forbidden', 'only admins may define modules that run commands');
    if (readsSecrets(body) && !canAdminister(principal))
      throw new HttpError(403, 'forbidden', 'only admins may define modules that read a password from the environment');
    return web.worker.defineModule({ definition: body, actor: healingActorOf(principal) });
  },
});
