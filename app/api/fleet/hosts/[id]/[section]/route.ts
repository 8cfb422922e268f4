import { canView } from '@/lib/auth/roles';
import { hostIdParamSchema } from '@/lib/fleet/fleet-api';
import { hostSectionSchema } from '@/lib/fleet/fleet-query-api';
import { HttpError } from '@/lib/http-error';
import { hostSectionContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

const CONTRACTS = {
  healing: hostSectionContracts.pageHealing,
  modules: hostSectionContracts.pageModules,
  incidents: hostSectionContracts.pageIncidents,
  snapshots: hostSectionContracts.pageSnapshots,
  threats: hostSectionContracts.pageThreats,
};

/** One host's view for a page scoped to it: read-only, so anyone who may view the console may read it. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web, params }) => {
    const id = hostIdParamSchema.safeParse(params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', 'id: a host id is a positive whole number');
    const section = hostSectionSchema.safeParse(params.section);
    if (!section.success) throw new HttpError(404, 'not_found', `no view ${JSON.stringify(params.section)} of a host`);
    return web.worker.call(CONTRACTS[section.data], { params: { id: String(id.data) } });
  },
});
