import { actorOf } from '@/lib/auth/actor';
import { canAdminister } from '@/lib/auth/roles';
import { saveSectionRequestSchema } from '@/lib/settings/editable-sections';
import { settingsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Sets the section in the console, in place of the file's; the worker validates it with the file's own schema. */
export const PUT = apiRoute({
  authorize: canAdminister,
  body: saveSectionRequestSchema,
  handler: ({ web, principal, params, body }) =>
    // A blocklist saved here is read once before it is kept, which may take as long as its source does.
    web.worker.call(settingsContracts.save, { params: { section: params.section }, body: { actor: actorOf(principal), value: body.value } }, 45_000),
});

/** Reverts the section to the config file's. */
export const DELETE = apiRoute({
  authorize: canAdminister,
  handler: ({ web, principal, params }) =>
    web.worker.call(settingsContracts.revert, { params: { section: params.section }, body: { actor: actorOf(principal) } }),
});
