import type { Condition, Operand, Placeholder } from './condition-parser';

/** What a probe saw, in the units the conditions use: milliseconds, bytes, percent. */
export interface ProbeFacts {
  status?: number;
  responseTimeMs?: number;
  body?: string;
  certificateExpirationMs?: number;
  connected?: boolean;
  dnsRcode?: string;
  ip?: string;
  packetLossPercent?: number;
}

const FACT_OF: Record<Placeholder, keyof ProbeFacts> = {
  STATUS: 'status',
  RESPONSE_TIME: 'responseTimeMs',
  BODY: 'body',
  CERTIFICATE_EXPIRATION: 'certificateExpirationMs',
  CONNECTED: 'connected',
  DNS_RCODE: 'dnsRcode',
  IP: 'ip',
  PACKET_LOSS: 'packetLossPercent',
};

type Value = string | number | boolean | null | undefined | object;

export class ConditionUnavailable extends Error {}

function bodyAt(body: string, path: (string | number)[]): Value {
  let node: unknown;
  try {
    node = JSON.parse(body);
  } catch {
    throw new ConditionUnavailable('the body is not JSON');
  }
  // Own fields only: `constructor` or `__proto__` would otherwise reach what every object inherits.
  for (const key of path) node = node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  return node as Value;
}

function valueOf(operand: Operand, facts: ProbeFacts): Value {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'len') {
    let of = valueOf(operand.of, facts);
    // len([BODY]) of a JSON array or object counts its items (rows of a query), otherwise its characters.
    if (typeof of === 'string' && operand.of.kind === 'placeholder' && /^\s*[[{]/.test(of)) {
      try {
        of = JSON.parse(of) as Value;
      } catch {
        // Not JSON after all: count characters.
      }
    }
    if (typeof of === 'string' || Array.isArray(of)) return of.length;
    if (of !== null && typeof of === 'object') return Object.keys(of).length;
    return 0;
  }
  const fact = facts[FACT_OF[operand.name]];
  if (fact === undefined) throw new ConditionUnavailable(`this monitor reports no [${operand.name}]`);
  if (operand.name === 'BODY' && operand.path.length > 0) return bodyAt(String(fact), operand.path);
  return fact;
}

const asNumber = (value: Value): number | null => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
};

const show = (value: Value): string => (typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'missing' : JSON.stringify(value));

/** Null when the condition holds, else one line saying what the left side was. */
export function conditionFailure(condition: Condition, facts: ProbeFacts): string | null {
  let left: Value;
  let right: Value;
  try {
    left = valueOf(condition.left, facts);
    right = valueOf(condition.right, facts);
  } catch (error) {
    if (error instanceof ConditionUnavailable) return `${condition.text}: ${error.message}`;
    throw error;
  }
  const [a, b] = [asNumber(left), asNumber(right)];
  let holds: boolean;
  if (condition.comparator === '==' || condition.comparator === '!=') {
    const equal = a !== null && b !== null ? a === b : String(left) === String(right);
    holds = condition.comparator === '==' ? equal : !equal;
  } else if (a === null || b === null) {
    return `${condition.text}: ${show(a === null ? left : right)} is not a number`;
  } else {
    holds = { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b }[condition.comparator];
  }
  return holds ? null : `${condition.text} failed: left side is ${show(left)}`;
}
