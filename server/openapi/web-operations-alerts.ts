import { acknowledgeInputSchema, silenceInputSchema } from '@/lib/alerts/alert-rules';
import { removeRuleRequestSchema, saveRuleRequestSchema } from '@/lib/alerts/alerts-api';
import { type OperationSpec, webOperation } from './operation-spec';

const web = webOperation;

/** The console's alerting routes (app/api/alerts/**), described as web-operations.ts describes the rest. */
export const ALERT_WEB_OPERATIONS: OperationSpec[] = [
  web({ method: 'get', path: '/api/alerts', tag: 'Alerts', summary: 'Open and recent alerts, silences and the rules in force', role: 'viewer' }),
  web({
    method: 'post',
    path: '/api/alerts/{id}/acknowledge',
    tag: 'Alerts',
    summary: 'Acknowledge an alert',
    role: 'operator',
    body: ['AcknowledgeAlert', acknowledgeInputSchema],
  }),
  web({
    method: 'post',
    path: '/api/alerts/silences',
    tag: 'Alerts',
    summary: 'Silence matching alerts until it expires',
    role: 'operator',
    body: ['SilenceInput', silenceInputSchema],
  }),
  web({ method: 'post', path: '/api/alerts/silences/{id}/expire', tag: 'Alerts', summary: 'End a silence now', role: 'operator' }),
  web({
    method: 'put',
    path: '/api/alerts/rules',
    tag: 'Alerts',
    summary: 'Create or replace an alert rule',
    role: 'admin',
    body: ['AlertRule', saveRuleRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/alerts/rules/remove',
    tag: 'Alerts',
    summary: "Remove the console's alert rule of that name",
    role: 'admin',
    body: ['RemoveAlertRule', removeRuleRequestSchema],
  }),
];
