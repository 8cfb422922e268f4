import { operationsContracts } from '../../contracts';
import type { DrillService } from '../../drills/drill-service';
import { HttpError, type Router } from '../router';

/** The dashboard's drill controls: past results, and "run a drill now" for admins. */
export function registerDrillRoutes(router: Router, deps: { drills: DrillService }): void {
  router.add({ ...operationsContracts.drills, handler: () => deps.drills.overview() });

  router.add({
    ...operationsContracts.startDrill,
    handler: ({ body }) => {
      // A drill spawns programs and mounts a disk: admins only, like modules that run commands.
      if (body.actor.role !== 'admin') throw new HttpError(403, 'forbidden', 'only admins may run chaos drills');
      return deps.drills.start({ actor: body.actor.name, scenarios: body.scenarios, harder: body.harder });
    },
  });
}
