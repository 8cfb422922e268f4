import { featureMap } from '@/lib/health/degradation';
import type { HealthMonitor } from '../../health/health-monitor';
import type { AuditWriter } from '../../audit';
import type { ApiTokenAuthenticator } from '../../auth/api-tokens';
import { requireToken } from '../auth';
import { sendJson, type Router } from '../router';

export function registerHealthRoutes(router: Router, deps: { monitor: HealthMonitor; audit: AuditWriter; tokens: ApiTokenAuthenticator; defenseMode: () => string }): void {
  // Public by contract: load balancers and scripts poll it without credentials.
  router.add('GET', '/healthz', ({ res }) => {
    const snapshot = deps.monitor.current();
    const database = deps.audit.status();
    sendJson(res, 200, {
      status: database.ok ? 'ok' : 'degraded',
      healthScore: snapshot?.score ?? null,
      degradation: deps.monitor.currentLevel(),
      defenseMode: deps.defenseMode(),
      database: { ok: database.ok, pendingEvents: database.pendingEvents },
    });
  });

  router.add('GET', '/api/v1/features', async ({ req, res }) => {
    await requireToken(req, deps.tokens, 'viewer');
    const level = deps.monitor.currentLevel();
    const features = featureMap(level);
    sendJson(res, 200, {
      degradation: level,
      features: Object.fromEntries(features.map((f) => [f.feature, f.enabled])),
      disabled: features.filter((f) => !f.enabled).map((f) => f.feature),
    });
  });

  router.add('GET', '/api/v1/health', async ({ req, res }) => {
    await requireToken(req, deps.tokens, 'viewer');
    sendJson(res, 200, deps.monitor.current());
  });
}
