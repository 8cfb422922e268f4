import { defenseContracts } from '../../contracts';
import type { IpListService } from '../../defense';
import type { Router } from '../router';

/** Imported IP lists, for the web app (which has authenticated and authorised the operator). */
export function registerBlocklistRoutes(router: Router, deps: { ipLists: IpListService }): void {
  const { ipLists } = deps;
  router.add({ ...defenseContracts.blocklists, handler: () => ({ blocklists: ipLists.statuses() }) });
  router.add({ ...defenseContracts.refreshBlocklist, handler: ({ body }) => ipLists.refreshNow(body) });
}
