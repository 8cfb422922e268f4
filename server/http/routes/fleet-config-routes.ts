import { actorOf } from '@/lib/auth/actor';
import { fleetConfigIdParamSchema } from '@/lib/fleet/fleet-config-api';
import { HttpError } from '@/lib/http-error';
import { fleetConfigContracts } from '../../contracts';
import type { FleetConfigConsole } from '../../fleet/fleet-config-console';
import type { Router } from '../router';

function assignmentId(params: Record<string, string>): number {
  const id = fleetConfigIdParamSchema.safeParse(params.id);
  if (!id.success) throw new HttpError(400, 'invalid_params', 'id: an assignment id is a positive whole number');
  return id.data;
}

/** Configuration from the console: saving and rolling back are an administrator's (fleet:write), reading is fleet:read. */
export function registerFleetConfigRoutes(router: Router, { configs }: { configs: FleetConfigConsole }): void {
  const c = fleetConfigContracts;
  router.add({ ...c.saveAssignment, handler: ({ principal, body }) => configs.save(body, actorOf(principal)) });
  router.add({ ...c.assignments, handler: () => configs.assignments() });
  router.add({ ...c.versions, handler: ({ params }) => configs.versions(assignmentId(params)) });
  router.add({ ...c.rollback, handler: ({ principal, params, body }) => configs.rollback(assignmentId(params), body, actorOf(principal)) });
  router.add({ ...c.hosts, handler: () => configs.hosts() });

  router.add({ ...c.internalSaveAssignment, handler: ({ body: { actor, ...request } }) => configs.save(request, actor) });
  router.add({ ...c.internalAssignments, handler: () => configs.assignments() });
  router.add({ ...c.internalVersions, handler: ({ params }) => configs.versions(assignmentId(params)) });
  router.add({ ...c.internalRollback, handler: ({ params, body: { actor, ...request } }) => configs.rollback(assignmentId(params), request, actor) });
  router.add({ ...c.internalHosts, handler: () => configs.hosts() });
}
