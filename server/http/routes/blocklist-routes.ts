import { blocklistRefreshRequestSchema, blocklistsResponseSchema, blocklistStatusSchema } from '@/lib/defense/blocklist-api';
import { withActor } from '@/lib/defense/defense-api';
import { HttpError } from '@/lib/http-error';
import { BlocklistNotFoundError, type IpListService } from '../../defense';
import { sendJson, type Router } from '../router';

/** `GET /internal/v1/defense/blocklists`: every configured list and how its last refresh went. */
export const listBlocklistsResponse = blocklistsResponseSchema;
/** `POST /internal/v1/defense/blocklists/refresh`: the list's status once the refresh ended (refused or not). */
export const refreshBlocklistResponse = blocklistStatusSchema;

/** Imported IP lists, for the web app (which has authenticated and authorised the operator). */
export function registerBlocklistRoutes(router: Router, deps: { ipLists: IpListService }): void {
  const { ipLists } = deps;

  router.add({ method: 'GET', path: '/internal/v1/defense/blocklists', auth: 'internal', handler: (ctx) => {
    sendJson(ctx.res, 200, listBlocklistsResponse.parse({ blocklists: ipLists.statuses() }));
  } });

  router.add({ method: 'POST', path: '/internal/v1/defense/blocklists/refresh', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(blocklistRefreshRequestSchema));
    try {
      sendJson(ctx.res, 200, refreshBlocklistResponse.parse(await ipLists.refreshNow(body)));
    } catch (error) {
      if (error instanceof BlocklistNotFoundError) throw new HttpError(404, 'not_found', error.message);
      throw error;
    }
  } });
}
