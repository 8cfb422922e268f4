import { z } from 'zod';
import type { Severity } from '@/lib/audit/types';
import type { AuditWriter } from '../../audit';
import type { ApiTokenAuthenticator } from '../../auth/api-tokens';
import { requireToken } from '../auth';
import { sendJson, type Router } from '../router';

const labelMap = z.record(z.string(), z.string());

/** Alertmanager's webhook payload (version 4); unknown fields are ignored, as Alertmanager adds some. */
export const alertmanagerWebhookSchema = z.object({
  version: z.string().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: labelMap,
        annotations: labelMap.default({}),
        startsAt: z.string().datetime({ offset: true }),
        endsAt: z.string().optional(),
        generatorURL: z.string().optional(),
        fingerprint: z.string().max(200).optional(),
      }),
    )
    .max(1000),
});

/** Alert rules use free-form severities; these are the usual ones, anything else is a notice. */
export function severityFromLabel(label: string | undefined): Severity {
  switch (label?.toLowerCase()) {
    case 'critical':
    case 'page':
    case 'emergency':
      return 'critical';
    case 'high':
    case 'error':
    case 'major':
      return 'high';
    case 'warning':
    case 'warn':
    case 'minor':
      return 'warning';
    case 'info':
    case 'informational':
      return 'info';
    default:
      return 'notice';
  }
}

export function registerAlertmanagerRoutes(router: Router, deps: { audit: AuditWriter; tokens: ApiTokenAuthenticator; moduleNames: () => string[] }): void {
  router.add('POST', '/api/v1/alertmanager', async (ctx) => {
    const principal = await requireToken(ctx.req, deps.tokens, 'operator');
    const body = await ctx.json(alertmanagerWebhookSchema);
    const known = new Set(deps.moduleNames());
    let recorded = 0;
    let moduleSignals = 0;
    // Only firing alerts are news; a resolved notification repeats an alert already recorded.
    for (const alert of body.alerts.filter((a) => a.status === 'firing')) {
      const name = alert.labels.alertname ?? 'unnamed alert';
      const candidate = alert.labels.module ?? alert.labels.job;
      const target = candidate !== undefined && known.has(candidate) ? candidate : null;
      if (target) moduleSignals += 1;
      await deps.audit.append({
        type: 'alert.received',
        severity: severityFromLabel(alert.labels.severity),
        actor: `token:${principal.name}`,
        action: `Alertmanager alert ${name} firing`,
        module: target ?? 'alertmanager',
        resource: alert.fingerprint ?? null,
        reason: alert.annotations.summary ?? alert.annotations.description ?? null,
        method: 'alertmanager',
        details: { alertname: name, labels: alert.labels, annotations: alert.annotations, startsAt: alert.startsAt, knownModule: target !== null },
      });
      recorded += 1;
    }
    sendJson(ctx.res, 200, { received: body.alerts.length, recorded, moduleSignals });
  });
}
