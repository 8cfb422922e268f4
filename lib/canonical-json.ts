// Canonical JSON in the spirit of RFC 8785 (JCS): object keys sorted by UTF-16 code
// units, no insignificant whitespace, ECMAScript number serialisation. Two equal
// values always give the same bytes, which is what the audit hash chain needs.
// It sits on the audit append path, so it avoids building anything it may not need.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  try {
    return JSON.stringify(sortedCopy(value));
  } catch (error) {
    if (!(error instanceof NeedsSlowPath)) throw error;
    return serialize(value, []);
  }
}

class NeedsSlowPath extends Error {}

const INTEGER_LIKE = /^(0|[1-9]\d*)$/;
/**
 * Deeper than any honest event; also how a cycle ends, as an error instead of a stack overflow.
 * Exported so the audit boundary refuses, up front, what this serialiser would refuse later.
 */
export const CANONICAL_MAX_DEPTH = 64;
const MAX_DEPTH = CANONICAL_MAX_DEPTH;

/**
 * The fast path: a copy whose objects have their keys inserted in sorted order, which
 * JSON.stringify then keeps, at native speed. Engines list integer-like keys first
 * whatever the insertion order, and JSON.stringify quietly turns NaN into null, so
 * anything of that kind falls back to the explicit serialiser below.
 */
function sortedCopy(value: unknown, depth = 0): unknown {
  if (value === null) return null;
  if (depth > MAX_DEPTH) throw new NeedsSlowPath();
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new NeedsSlowPath();
      return value;
    case 'object': {
      if (Array.isArray(value)) {
        const items = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          // A hole or undefined has no JSON form: the explicit serialiser names it.
          if (value[i] === undefined) throw new NeedsSlowPath();
          items[i] = sortedCopy(value[i], depth + 1);
        }
        return items;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new NeedsSlowPath();
      const source = value as Record<string, unknown>;
      // No prototype, so a "__proto__" member is copied as data instead of swapping the prototype.
      const copy: Record<string, unknown> = Object.create(null);
      for (const key of Object.keys(source).sort()) {
        if (INTEGER_LIKE.test(key)) throw new NeedsSlowPath();
        const member = source[key];
        if (member !== undefined) copy[key] = sortedCopy(member, depth + 1);
      }
      return copy;
    }
    default:
      throw new NeedsSlowPath();
  }
}

function fail(trail: Array<string | number>, problem: string): never {
  const path = trail.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
  throw new CanonicalJsonError(`$${path}: ${problem}`);
}

function serialize(value: unknown, trail: Array<string | number>): string {
  if (value === null) return 'null';
  if (trail.length > MAX_DEPTH) fail(trail, `nested deeper than ${MAX_DEPTH} levels (or cyclic)`);
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(trail, `${value} is not representable in JSON`);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? serializeArray(value, trail) : serializeObject(value as Record<string, unknown>, trail);
    default:
      return fail(trail, `${typeof value} is not a JSON value`);
  }
}

function serializeArray(items: unknown[], trail: Array<string | number>): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    trail.push(i);
    out += serialize(items[i], trail);
    trail.pop();
  }
  return `${out}]`;
}

function serializeObject(object: Record<string, unknown>, trail: Array<string | number>): string {
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) fail(trail, 'only plain objects can be canonicalised');
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    trail.push(key);
    out += `${JSON.stringify(key)}:${serialize(member, trail)}`;
    trail.pop();
  }
  return `${out}}`;
}
