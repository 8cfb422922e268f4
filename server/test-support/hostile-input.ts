import fc from 'fast-check';

/**
 * Field names for a route whose schema names none (or cannot be read as one): the APIs' common
 * ones. Routes with a schema use its own names (`fieldNamesOf`), so objects reach past "unknown
 * key" into each field's own checks.
 */
const COMMON_FIELD_NAMES = [
  'source',
  'reason',
  'actor',
  'name',
  'role',
  'scopes',
  'title',
  'view',
  'path',
  'query',
  'level',
  'duration',
  'indefinite',
  'expiresAt',
  'expiresInHours',
  'redactSources',
  'scenarios',
  'harder',
  'dryRun',
  'username',
  'password',
  'token',
  'definition',
  'decision',
  'approve',
  'action',
  'mode',
  'against',
  'keep',
  'golden',
  'label',
  'disabled',
  'cursor',
  'limit',
  'type',
  'severity',
  'module',
  'from',
  'to',
  'range',
  'q',
  'format',
] as const;

/** Strings a careless parser trips on: lone surrogates, NUL, `%` garbage, numbers past every range, huge ones. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udfff',
      '%',
      '%zz',
      '%E0%A4%A',
      '%00',
      '-1',
      '0',
      '1e309',
      '99999999999999999999',
      'NaN',
      '2026-13-45T99:99:99Z',
      '../../etc/passwd',
      '*',
      '',
    ),
    fc.integer({ min: 10_000, max: 300_000 }).map((length) => 'x'.repeat(length)),
  );

/** The names to build objects with: the schema's own, else the common ones. */
const namesOrCommon = (fields: readonly string[]): readonly string[] => (fields.length > 0 ? fields : COMMON_FIELD_NAMES);

const hostileValue = (fields: readonly string[]): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      hostileString(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...fields), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

/**
 * A request body as text: any JSON, JSON shaped like the route's (its `fields`) with wrong types,
 * bytes that are not JSON, and nesting far past any limit.
 */
export const hostileBody = (fields: readonly string[] = []): fc.Arbitrary<string> => {
  const names = namesOrCommon(fields);
  return fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.dictionary(fc.constantFrom(...names), hostileValue(names), { minKeys: 1, maxKeys: 6 }).map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('{"a":"\\u0000"}', '"\\ud800"', '{"source":"\\udfff"}', '{', '}', 'null', '[]', '1e999', '{"__proto__":{"admin":true}}'),
    fc.integer({ min: 65, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 65, max: 5_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );
};

/** A query string (without `?`): the route's names (`fields`) and unknown ones with hostile values, and raw `%` garbage appended. */
export const hostileQuery = (fields: readonly string[] = []): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.dictionary(fc.oneof(fc.constantFrom(...namesOrCommon(fields)), fc.string({ maxLength: 8 })), hostileString(), { maxKeys: 5 }),
      fc.constantFrom('', '&%zz=1', '&q=%00', '&cursor=%E0%A4%A', '&limit=%', '&=&&=', '&q=%ED%A0%80'),
    )
    .map(([params, garbage]) => `${new URLSearchParams(params).toString()}${garbage}`);

/**
 * Records a 5xx, or a request that threw instead of being answered, under `what`; the caller
 * asserts the list is empty, which names every failing input at once (fast-check would stop
 * at the first and shrink it, which costs more requests than the list is worth here).
 */
export async function answersBelow500(failures: string[], what: string, send: () => Promise<{ status: number; text: string }>): Promise<boolean> {
  try {
    const res = await send();
    if (res.status < 500) return true;
    failures.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
  } catch (error) {
    failures.push(`${what}: threw ${String(error)}`);
  }
  return false;
}
