import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

/** Vigil's snapshots in one repository, as restic lists them now. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web, params }) => web.worker.offsite('offsiteList', { params: { repo: params.repo } }),
});
