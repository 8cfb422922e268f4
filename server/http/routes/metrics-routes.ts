import { healthContracts } from '../../contracts';
import type { WorkerMetrics } from '../../metrics';
import type { Router } from '../router';

export function registerMetricsRoutes(router: Router, deps: { metrics: WorkerMetrics }): void {
  // Public like /healthz: Prometheus scrapes without credentials by convention, and nothing here
  // names a source or a secret. Restrict it at the network or proxy when that matters.
  router.add({
    ...healthContracts.metrics,
    handler: async ({ res }) => {
      const text = await deps.metrics.render();
      res.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' });
      res.end(text);
    },
  });
}
