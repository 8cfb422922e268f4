import { describe, expect, it } from 'vitest';
import type { ChainedAuditEvent } from '../audit/types';
import { eventLabels, groupKeyOf, ruleMatches, silenceMatches, wildcardMatches } from './alert-match';
import { alertRuleSchema, alertsConfigSchema } from './alert-rules';
import { DEFAULT_ALERT_RULES, effectiveRules } from './default-rules';

const event = (over: Partial<ChainedAuditEvent> = {}): ChainedAuditEvent => ({
  seq: 1,
  eventId: 'e',
  at: '2026-12-06T10:00:00.000Z',
  type: 'integrity.file_changed',
  severity: 'critical',
  actor: 'system',
  action: 'file changed',
  module: 'integrity',
  resource: '/etc/ssh/sshd_config',
  reason: null,
  method: 'realtime',
  source: null,
  details: { critical: true, nested: { x: 1 } },
  prevHash: '',
  hash: '',
  ...over,
});

describe('wildcards', () => {
  it.each([
    ['defense.*', 'defense.lockdown', true],
    ['defense.*', 'defense', false],
    ['integrity.file_*', 'integrity.file_changed', true],
    ['recovery.*_failed', 'recovery.restore_failed', true],
    ['recovery.*_failed', 'recovery.restore_done', false],
    ['*', 'anything.at_all', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['audit.verify_failed', 'audit.verify_failed', true],
    ['audit.verify_failed', 'audit.verify_failedx', false],
    // Regex syntax means nothing: a dot is a dot.
    ['defense.lock', 'defensexlock', false],
  ])('%s against %s is %s', (pattern, value, expected) => expect(wildcardMatches(pattern, value)).toBe(expected));
});

describe('rules', () => {
  const labels = eventLabels(event(), 'web-1');

  it('labels an event with its fields and flat details, and its host', () => {
    expect(labels).toMatchObject({ type: 'integrity.file_changed', severity: 'critical', module: 'integrity', critical: 'true', host: 'web-1' });
    expect(labels.nested).toBeUndefined();
    expect(eventLabels(event({ details: { node: 'n2' } }), 'web-1').host).toBe('n2');
  });

  it('filters by type, severity, module, host and label', () => {
    const rule = (over: object) => alertRuleSchema.parse({ name: 'r', events: ['integrity.*'], ...over });
    expect(ruleMatches(rule({}), event(), labels)).toBe(true);
    expect(ruleMatches(rule({ enabled: false }), event(), labels)).toBe(false);
    expect(ruleMatches(rule({ events: ['defense.*'] }), event(), labels)).toBe(false);
    expect(ruleMatches(rule({ minSeverity: 'critical' }), event({ severity: 'high' }), labels)).toBe(false);
    expect(ruleMatches(rule({ modules: ['integ*'] }), event(), labels)).toBe(true);
    expect(ruleMatches(rule({ modules: ['defense'] }), event(), labels)).toBe(false);
    expect(ruleMatches(rule({ hosts: ['web-*'] }), event(), labels)).toBe(true);
    expect(ruleMatches(rule({ hosts: ['db-*'] }), event(), labels)).toBe(false);
    expect(ruleMatches(rule({ labels: { critical: 'false' } }), event(), labels)).toBe(false);
    expect(ruleMatches(rule({ events: ['*'] }), event({ type: 'alert.notified' }), labels)).toBe(false);
  });

  it('groups by the rule and its groupBy values; silences match every matcher', () => {
    const rule = alertRuleSchema.parse({ name: 'r', events: ['*'], groupBy: ['type', 'resource'] });
    expect(groupKeyOf(rule, labels)).toBe('r|type=integrity.file_changed|resource=/etc/ssh/sshd_config');
    expect(silenceMatches([{ name: 'module', value: 'integ*' }], labels)).toBe(true);
    expect(
      silenceMatches(
        [
          { name: 'module', value: 'integ*' },
          { name: 'host', value: 'db' },
        ],
        labels,
      ),
    ).toBe(false);
  });

  it('refuses a bad rule naming the field', () => {
    const parsed = alertRuleSchema.safeParse({ name: 'r', events: ['Defense.(*)'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path).toEqual(['events', 0]);
    expect(
      alertsConfigSchema.safeParse({
        rules: [
          { name: 'a', events: ['x'] },
          { name: 'a', events: ['y'] },
        ],
      }).success,
    ).toBe(false);
  });
});

describe('shipped rules', () => {
  it('cover the seven cases, enabled, to every channel', () => {
    expect(DEFAULT_ALERT_RULES.map((rule) => rule.name)).toEqual([
      'lockdown engaged',
      'critical threat',
      'critical file changed',
      'snapshot verification failed',
      'audit chain broken',
      'golden snapshot too old',
      'worker restarted unexpectedly',
    ]);
    expect(DEFAULT_ALERT_RULES.every((rule) => rule.enabled && rule.channels.join() === '*')).toBe(true);
    const critical = DEFAULT_ALERT_RULES[2];
    expect(ruleMatches(critical, event(), eventLabels(event(), 'h'))).toBe(true);
    const notCritical = event({ details: { critical: false } });
    expect(ruleMatches(critical, notCritical, eventLabels(notCritical, 'h'))).toBe(false);
  });

  it('are replaced by name by the config file, then the console, or left out', () => {
    const mine = alertRuleSchema.parse({ name: 'critical threat', events: ['defense.threat'], channels: ['pager'] });
    const mineToo = alertRuleSchema.parse({ name: 'extra', events: ['x.*'] });
    const rules = effectiveRules({ defaults: true, configured: [mine], stored: [mineToo] });
    expect(rules.find((rule) => rule.name === 'critical threat')?.channels).toEqual(['pager']);
    expect(rules).toHaveLength(8);
    expect(effectiveRules({ defaults: false, configured: [], stored: [mineToo] })).toEqual([mineToo]);
  });
});
