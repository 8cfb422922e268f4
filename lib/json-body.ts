import { HttpError } from './http-error';

/**
 * Deeper than any body Vigil's APIs accept (module definitions and event details are a few
 * levels deep). Past it a body is refused before it is parsed: V8 parses deep nesting fine,
 * but everything after it that recurses (validation, serialising, canonical JSON for the
 * chain) runs out of stack, which would make a 500 out of a client's mistake. It is twice the
 * audit chain's own depth limit, so a body within it reaches validation, which names the field
 * that is too deep.
 */
export const MAX_JSON_DEPTH = 128;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The deepest nesting in `text`, counting brackets outside strings; stops early past `limit`. */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Text no store can hold: PostgreSQL refuses U+0000, and SQLite's driver fails on a UTF-16
 * surrogate without its pair (JSON can spell one, `"\\ud800"`). No field of Vigil's has a use
 * for either, so both are refused once, here, rather than failing in a store as a 500.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** How either can appear in JSON text: NUL only escaped (a raw one is not JSON), a surrogate escaped or raw. */
const MAY_HOLD_UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])|[\uD800-\uDFFF]/;
const UNSTORABLE_MESSAGE = 'text must not contain NUL characters or unpaired surrogates';

/** The path (`events.0.details.message`, as validation names fields) of the first text no store can hold. */
function findUnstorable(value: unknown, path: string[]): string | null {
  const here = () => (path.length ? path.join('.') : 'body');
  if (typeof value === 'string') return UNSTORABLE.test(value) ? here() : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return `${[...path, key].join('.')} (a field name)`;
    const found = findUnstorable(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * A request body's JSON, or an error that says why: 400 when it is malformed or nested past
 * MAX_JSON_DEPTH, 422 naming the field when it holds text no store can hold. An empty body is
 * `undefined`, for endpoints whose body is optional.
 */
export function parseJsonBody(text: string): unknown {
  if (!text) return undefined;
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new HttpError(400, 'json_too_deep', `request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
  // Only bodies that may hold such text pay for the walk.
  const unstorable = MAY_HOLD_UNSTORABLE.test(text) ? findUnstorable(value, []) : null;
  if (unstorable) throw new HttpError(422, 'invalid_text', `${unstorable}: ${UNSTORABLE_MESSAGE}`);
  return value;
}

/** The same rule for query strings, before any route reads them. */
export function refuseUnstorableQuery(params: URLSearchParams): void {
  for (const [name, value] of params) {
    if (UNSTORABLE.test(name) || UNSTORABLE.test(value))
      throw new HttpError(422, 'invalid_text', `${UNSTORABLE.test(name) ? 'a parameter name' : name}: ${UNSTORABLE_MESSAGE}`);
  }
}

/** Whether `value` is text every store can hold. */
export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);
