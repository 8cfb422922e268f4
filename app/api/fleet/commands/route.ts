import { actorOf } from '@/lib/auth/actor';
import { canOperate, canView } from '@/lib/auth/roles';
import { fleetCommandRequestSchema } from '@/lib/fleet/fleet-command-api';
import { apiRoute } from '@/app/_lib/api-route';

/** Sends a command to one host, the hosts with some labels, or the whole fleet; a restore is an admin's (the worker checks the role). */
export const POST = apiRoute({
  authorize: canOperate,
  body: fleetCommandRequestSchema,
  handler: async ({ web, principal, body }) =>
    Response.json(await web.worker.sendFleetCommand({ ...body, actor: actorOf(principal), role: principal.role }), {
      status: 202,
      headers: { 'cache-control': 'no-store' },
    }),
});

/** The newest fleet commands and where each stands on every host, for the fleet page's history. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.fleetCommands(),
});
