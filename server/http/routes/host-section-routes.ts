import { hostIdParamSchema } from '@/lib/fleet/fleet-api';
import type { HostSection } from '@/lib/fleet/fleet-query-api';
import { HttpError } from '@/lib/http-error';
import { hostSectionContracts } from '../../contracts';
import type { HostSectionReader } from '../../fleet/fleet-query-console';
import type { Router } from '../router';

function hostId(params: Record<string, string>): number {
  const id = hostIdParamSchema.safeParse(params.id);
  if (!id.success) throw new HttpError(400, 'invalid_params', 'id: a host id is a positive whole number');
  return id.data;
}

/** Any host's modules, incidents, snapshots and threats, for the machine API and the pages scoped to a host. */
export function registerHostSectionRoutes(router: Router, { reader }: { reader: Pick<HostSectionReader, 'read'> }): void {
  const c = hostSectionContracts;
  // The reader checked `data` against this section's schema already; the router checks it again under tests.
  const view = (params: Record<string, string>, section: HostSection) => reader.read(hostId(params), section) as Promise<never>;
  router.add({ ...c.hostHealing, handler: ({ params }) => view(params, 'healing') });
  router.add({ ...c.hostModules, handler: ({ params }) => view(params, 'modules') });
  router.add({ ...c.hostIncidents, handler: ({ params }) => view(params, 'incidents') });
  router.add({ ...c.hostSnapshots, handler: ({ params }) => view(params, 'snapshots') });
  router.add({ ...c.hostThreats, handler: ({ params }) => view(params, 'threats') });
  router.add({ ...c.pageHealing, handler: ({ params }) => view(params, 'healing') });
  router.add({ ...c.pageModules, handler: ({ params }) => view(params, 'modules') });
  router.add({ ...c.pageIncidents, handler: ({ params }) => view(params, 'incidents') });
  router.add({ ...c.pageSnapshots, handler: ({ params }) => view(params, 'snapshots') });
  router.add({ ...c.pageThreats, handler: ({ params }) => view(params, 'threats') });
}
