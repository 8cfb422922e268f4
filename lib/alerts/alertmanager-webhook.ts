import { z } from 'zod';
import type { Severity } from '../audit/types';
import type { IncidentSeverity } from '../healing/incident';

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
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;
export type AlertmanagerAlert = AlertmanagerWebhook['alerts'][number];

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

/** Incidents know three severities; an alert below a warning still opens one as a warning. */
export function incidentSeverityOf(severity: Severity): IncidentSeverity {
  return severity === 'critical' || severity === 'high' ? severity : 'warning';
}
