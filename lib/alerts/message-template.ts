import { z } from 'zod';
import type { AlertMessage } from './alert-message';
import { alertTextLines, alertTitle } from './alert-message';

/**
 * A webhook body of the operator's own. The language is placeholders and nothing else:
 * `{{name}}` is replaced by a field's value escaped for a JSON string, so a template cannot run
 * code, read files or break out of the string it sits in. The rendered body must be JSON.
 */
export const TEMPLATE_FIELDS = [
  'title',
  'summary',
  'status',
  'severity',
  'rule',
  'count',
  'newEvents',
  'module',
  'host',
  'type',
  'firstAt',
  'lastAt',
  'alertId',
  'dedupKey',
  'deliveryId',
  'link',
  'text',
] as const;
type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** The fields that are numbers, and so may stand outside a JSON string (`"n": {{count}}`). */
const NUMBER_FIELDS: readonly string[] = ['count', 'newEvents'];

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

function fieldValues(message: AlertMessage): Record<TemplateField, string> {
  return {
    title: alertTitle(message),
    summary: message.summary,
    status: message.status,
    severity: message.severity,
    rule: message.rule,
    count: String(message.count),
    newEvents: String(message.newEvents),
    module: message.labels.module ?? '',
    host: message.labels.host ?? '',
    type: message.labels.type ?? '',
    firstAt: message.firstAt,
    lastAt: message.lastAt,
    alertId: message.alertId,
    dedupKey: message.dedupKey,
    deliveryId: message.deliveryId,
    link: message.link ?? '',
    text: alertTextLines(message).join('\n'),
  };
}

/** The JSON-string escaping of a value, without the surrounding quotes. */
const escapeForJsonString = (value: string): string => JSON.stringify(value).slice(1, -1);

export function renderTemplate(template: string, message: AlertMessage): string {
  const values = fieldValues(message);
  return template.replace(PLACEHOLDER, (_, name: string) => escapeForJsonString(values[name as TemplateField]));
}

const SAMPLE: AlertMessage = {
  alertId: 'a',
  dedupKey: 'd',
  deliveryId: 'x',
  status: 'firing',
  rule: 'r',
  severity: 'critical',
  summary: 's "quoted"',
  labels: {},
  count: 1,
  newEvents: 1,
  firstAt: '',
  lastAt: '',
  samples: [],
  acknowledgedBy: null,
  link: null,
};

export const messageTemplateSchema = z
  .string()
  .min(2)
  .max(8000)
  .superRefine((template, ctx) => {
    for (const [, name] of template.matchAll(PLACEHOLDER))
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(name))
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${name}}}; known: ${TEMPLATE_FIELDS.join(', ')}` });
    try {
      JSON.parse(renderTemplate(template, SAMPLE));
      // A text field stands only inside a JSON string: outside one, a value such as `,1,true` would add JSON of its own.
      JSON.parse(template.replace(PLACEHOLDER, (_, name: string) => (NUMBER_FIELDS.includes(name) ? '1' : '\\"')));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `the rendered body is not JSON: ${(error as Error).message}` });
    }
  });
