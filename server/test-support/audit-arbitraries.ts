import fc from 'fast-check';
import { CANONICAL_MAX_DEPTH, type JsonObject, type JsonValue } from '@/lib/canonical-json';

/** The code units that break storage or hashing when they stand alone, and NUL. */
const TROUBLE = [0, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfffd, 0xfeff];

/** Any UTF-16 string: well-formed text in every plane, or raw code units with lone surrogates and NUL. */
export const anyText = (maxLength = 12): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(...TROUBLE)), { maxLength })
        .map((units) => String.fromCharCode(...units)),
    },
  );

const leaf: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 1e21, 5e-324, Number.MAX_SAFE_INTEGER + 2),
  anyText(),
);

const { tree } = fc.letrec<{ tree: JsonValue; array: JsonValue[]; object: JsonObject }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 4 }),
  object: fc.dictionary(anyText(6), tie('tree'), { maxKeys: 4 }),
}));

/** Buried `levels` deep, to probe the depth limit from both sides. */
const buried = (value: JsonValue, levels: number): JsonValue => (levels === 0 ? value : { d: buried(value, levels - 1) });

/** Any JSON object: small trees of any content, and some nested right around the canonical depth limit. */
export const anyJsonObject: fc.Arbitrary<JsonObject> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(anyText(6), tree, { maxKeys: 5 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(leaf, fc.integer({ min: CANONICAL_MAX_DEPTH - 4, max: CANONICAL_MAX_DEPTH + 4 }))
      .map(([value, levels]) => ({ deep: buried(value, levels) })),
  },
);

/**
 * An oracle that shares no code with the validation it checks: a string is storable when
 * it survives a round trip through UTF-8 and holds no NUL; a value when every string and
 * key is, and no member is more than CANONICAL_MAX_DEPTH levels below the top.
 */
export function storableText(text: string): boolean {
  return !text.includes('\u0000') && Buffer.from(text, 'utf8').toString('utf8') === text;
}

export function storableJson(value: unknown, depth = 0): boolean {
  if (depth > CANONICAL_MAX_DEPTH) return false;
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.every((item) => storableJson(item, depth + 1));
  if (value && typeof value === 'object') return Object.entries(value).every(([key, member]) => storableText(key) && storableJson(member, depth + 1));
  return true;
}
