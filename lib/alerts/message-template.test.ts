import { describe, expect, it } from 'vitest';
import type { AlertMessage } from './alert-message';
import { messageTemplateSchema, renderTemplate } from './message-template';

const message: AlertMessage = {
  alertId: 'a',
  dedupKey: 'vigil-alert-a',
  deliveryId: 'd',
  status: 'firing',
  rule: 'r',
  severity: 'high',
  summary: 'line one\nline "two" </script>{{title}}',
  labels: { module: 'api', host: 'h', type: 't' },
  count: 3,
  newEvents: 1,
  firstAt: 'f',
  lastAt: 'l',
  samples: [],
  acknowledgedBy: null,
  link: null,
};

describe('webhook templates', () => {
  it('only substitutes known fields, escaped for a JSON string, never re-expanding what a value holds', () => {
    const body = renderTemplate('{"s": "{{ summary }}", "n": {{count}}, "m": "{{module}}"}', message);
    expect(JSON.parse(body)).toEqual({ s: message.summary, n: 3, m: 'api' });
  });

  it('refuses unknown placeholders and bodies that are not JSON, with the reason', () => {
    expect(messageTemplateSchema.safeParse('{"a": "{{constructor}}"}').error?.issues[0].message).toMatch(/unknown placeholder \{\{constructor\}\}/);
    expect(messageTemplateSchema.safeParse('{"a": {{summary}}}').error?.issues[0].message).toMatch(/not JSON/);
    expect(messageTemplateSchema.safeParse('{"text": "{{title}}"}').success).toBe(true);
  });

  it('keeps text fields inside JSON strings, so a label cannot add values of its own', () => {
    expect(messageTemplateSchema.safeParse('{"a": [0{{host}}]}').error?.issues[0].message).toMatch(/not JSON/);
    expect(messageTemplateSchema.safeParse('{"a": 1{{module}}}').error?.issues[0].message).toMatch(/not JSON/);
    expect(messageTemplateSchema.safeParse('{"n": {{count}}, "e": {{ newEvents }}, "h": "{{host}}"}').success).toBe(true);
  });
});
