import { operationsContracts } from '../../contracts';
import type { FileIntegrity } from '../../integrity';
import type { Router } from '../router';

/** File-integrity status for the dashboard and the administrator's re-baseline, relayed by the web app. */
export function registerIntegrityRoutes(router: Router, deps: { integrity: FileIntegrity }): void {
  router.add({ ...operationsContracts.integrityStatus, handler: () => deps.integrity.status() });
  router.add({ ...operationsContracts.rebaselineIntegrity, handler: ({ body }) => deps.integrity.rebaseline(body) });
}
