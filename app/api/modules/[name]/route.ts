import { canAdminister, canOperate } from '@/lib/auth/roles';
import { HttpError } from '@/lib/http-error';
import { moduleSchema, runsCommands } from '@/lib/healing/module-schema';
import { findConsoleModule } from '@/server/queries/healing-modules';
import { apiRoute } from '@/app/_lib/api-route';
import { healingActorOf } from '@/app/_lib/actor';

/**
 * A console module's definition, to edit it: operators, who may redefine it. A module that runs
 * a program stays with admins, who alone may change it (its argument list is theirs to read).
 */
export const GET = apiRoute({
  authorize: canOperate,
  handler: async ({ web, principal, params }) => {
    const stored = await findConsoleModule(web.database.prisma, params.name);
    const parsed = stored === null ? null : moduleSchema.safeParse(JSON.parse(stored));
    if (!parsed?.success) throw new HttpError(404, 'not_found', `no console module named ${JSON.stringify(params.name)}`);
    if (runsCommands(parsed.data) && !canAdminister(principal)) throw new HttpError(403, 'forbidden', 'only admins may read modules that run commands');
    return parsed.data;
  },
});

/** Removes a console module (the worker refuses config-file ones, and command ones for non-admins). */
export const DELETE = apiRoute({
  authorize: canOperate,
  handler: ({ web, principal, params }) => web.worker.removeModule({ name: params.name, actor: healingActorOf(principal) }),
});
