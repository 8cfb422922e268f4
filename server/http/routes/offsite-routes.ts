import { HttpError } from '@/lib/http-error';
import { offsiteRepoParamSchema } from '@/lib/recovery/offsite-api';
import { offsiteContracts } from '../../contracts';
import type { RecoveryService } from '../../recovery';
import type { Router } from '../router';

function repoParam(params: Record<string, string>): string {
  const parsed = offsiteRepoParamSchema.safeParse(params.repo);
  if (!parsed.success) throw new HttpError(422, 'invalid_request', `repo: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** Off-site copies from the web app (already authenticated and authorised). */
export function registerOffsiteRoutes(router: Router, { recovery }: { recovery: RecoveryService }): void {
  const { offsite } = recovery;
  router.add({ ...offsiteContracts.offsiteOverview, handler: () => offsite.overview() });
  router.add({ ...offsiteContracts.offsiteCopy, handler: ({ body }) => offsite.copy(body) });
  router.add({ ...offsiteContracts.offsiteList, handler: ({ params }) => offsite.list({ from: repoParam(params) }) });
  router.add({ ...offsiteContracts.offsiteRestore, handler: ({ params, body }) => offsite.restore({ ...body, from: repoParam(params) }) });
  router.add({ ...offsiteContracts.offsiteCheck, handler: ({ params, body }) => offsite.check({ ...body, repo: repoParam(params) }) });
  router.add({ ...offsiteContracts.offsiteForget, handler: ({ params, body }) => offsite.forget({ ...body, repo: repoParam(params) }) });
}
