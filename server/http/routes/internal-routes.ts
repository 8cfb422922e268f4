import { healthContracts } from '../../contracts';
import type { HealthMonitor } from '../../health/health-monitor';
import type { AuditIntegrity } from '../../audit/audit-integrity';
import type { Router } from '../router';

/** Commands from the web app, which has already authenticated and authorised the operator. */
export function registerInternalRoutes(router: Router, deps: { monitor: HealthMonitor; integrity: AuditIntegrity }): void {
  router.add({ ...healthContracts.currentHealth, handler: () => deps.monitor.current() });
  router.add({ ...healthContracts.pinDegradation, handler: ({ body }) => deps.monitor.setPin(body.level, body.actor, body.reason) });
  router.add({ ...healthContracts.verifyAudit, handler: ({ body }) => deps.integrity.verify(body.mode) });
  router.add({ ...healthContracts.auditPublicKey, handler: () => ({ keyId: deps.integrity.key.keyId, publicKeyPem: deps.integrity.key.publicKeyPem }) });
}
