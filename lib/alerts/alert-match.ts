import type { ChainedAuditEvent } from '../audit/types';
import { severityRank, type AlertRule, type SilenceMatcher } from './alert-rules';

/** `*` matches any run of characters (dots included); everything else is literal. Never a user-made RegExp. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  if (!value.startsWith(parts[0]) || !value.endsWith(parts[parts.length - 1])) return false;
  let at = parts[0].length;
  const end = value.length - parts[parts.length - 1].length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return at <= end;
}

/**
 * What rules and silences match on: the event's own fields and its flat detail values. `host`
 * is the node that recorded it in a cluster, else this worker's host.
 */
export function eventLabels(event: ChainedAuditEvent, localHost: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.details ?? {}))
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') labels[key] = String(value);
  const host = typeof event.details?.host === 'string' ? event.details.host : typeof event.details?.node === 'string' ? event.details.node : localHost;
  Object.assign(labels, { type: event.type, severity: event.severity, actor: event.actor, host });
  for (const key of ['module', 'resource', 'source'] as const) if (event[key]) labels[key] = event[key] as string;
  return labels;
}

/** Alerting's own bookkeeping never alerts: a failed delivery would otherwise page about itself forever. */
export const isAlertingEvent = (type: string): boolean => type.startsWith('alert.');

export function ruleMatches(rule: AlertRule, event: ChainedAuditEvent, labels: Record<string, string>): boolean {
  if (!rule.enabled || isAlertingEvent(event.type)) return false;
  if (!rule.events.some((pattern) => wildcardMatches(pattern, event.type))) return false;
  if (severityRank(event.severity) < severityRank(rule.minSeverity)) return false;
  if (rule.modules && !rule.modules.some((pattern) => wildcardMatches(pattern, labels.module ?? ''))) return false;
  if (rule.hosts && !rule.hosts.some((pattern) => wildcardMatches(pattern, labels.host))) return false;
  return Object.entries(rule.labels ?? {}).every(([name, value]) => Object.hasOwn(labels, name) && labels[name] === value);
}

/**
 * A label's value, or '' when the event has none. Own labels only: a name such as `constructor`
 * or `__proto__` would otherwise read what every object inherits, a function where text belongs.
 */
const labelValue = (labels: Record<string, string>, name: string): string => (Object.hasOwn(labels, name) ? labels[name] : '');

export function silenceMatches(matchers: readonly SilenceMatcher[], labels: Record<string, string>): boolean {
  return matchers.every((matcher) => wildcardMatches(matcher.value, labelValue(labels, matcher.name)));
}

/** The group an event joins under a rule: the rule's name and its groupBy values, in a stable text. */
export function groupKeyOf(rule: AlertRule, labels: Record<string, string>): string {
  return [rule.name, ...rule.groupBy.map((field) => `${field}=${labelValue(labels, field)}`)].join('|').slice(0, 500);
}
