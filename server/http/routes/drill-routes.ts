import { startDrillSchema } from '@/lib/drills/drill-schema';
import { DrillBusyError, type DrillService } from '../../drills/drill-service';
import { HttpError, sendJson, type Router } from '../router';

/** The dashboard's drill controls: past results, and "run a drill now" for admins. */
export function registerDrillRoutes(router: Router, deps: { drills: DrillService }): void {
  router.add({ method: 'GET', path: '/internal/v1/drills', auth: 'internal', handler: (ctx) => {
    sendJson(ctx.res, 200, deps.drills.overview());
  } });

  router.add({ method: 'POST', path: '/internal/v1/drills', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(startDrillSchema);
    // A drill spawns programs and mounts a disk: admins only, like modules that run commands.
    if (body.actor.role !== 'admin') throw new HttpError(403, 'forbidden', 'only admins may run chaos drills');
    try {
      sendJson(ctx.res, 202, deps.drills.start({ actor: body.actor.name, scenarios: body.scenarios, harder: body.harder }));
    } catch (error) {
      if (error instanceof DrillBusyError) throw new HttpError(409, 'conflict', error.message);
      throw error;
    }
  } });
}
