import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from './canonical-json';

/** Runs canonicalJson and returns the CanonicalJsonError it throws (fails the test otherwise). */
function errorOf(value: unknown): CanonicalJsonError {
  try {
    canonicalJson(value);
  } catch (error) {
    if (error instanceof CanonicalJsonError) return error;
    throw error;
  }
  throw new Error(`expected canonicalJson to reject ${String(value)}`);
}

/**
 * An integer-like key anywhere forces the explicit (slow) serialiser for the whole value,
 * so wrapping a value under the key "0" gives the slow path's rendering of it.
 */
function viaSlowPath(value: unknown): string {
  const wrapped = canonicalJson({ '0': value });
  const prefix = '{"0":';
  expect(wrapped.startsWith(prefix) && wrapped.endsWith('}')).toBe(true);
  return wrapped.slice(prefix.length, -1);
}

describe('canonicalJson: primitives', () => {
  it.each([
    [null, 'null'],
    [true, 'true'],
    [false, 'false'],
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-1.5, '-1.5'],
    ['', '""'],
    ['hello', '"hello"'],
  ])('serialises %o as %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('uses ECMAScript number serialisation (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson(1e20)).toBe('100000000000000000000');
    expect(canonicalJson(1e-6)).toBe('0.000001');
    expect(canonicalJson(1e-7)).toBe('1e-7');
    expect(canonicalJson(5e-324)).toBe('5e-324');
    expect(canonicalJson(-5e-324)).toBe('-5e-324');
    expect(canonicalJson(Number.MAX_VALUE)).toBe('1.7976931348623157e+308');
    expect(canonicalJson(2 ** 53)).toBe('9007199254740992');
    expect(canonicalJson(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(canonicalJson(4.5)).toBe('4.5');
    expect(canonicalJson(1e23)).toBe('1e+23');
  });

  it('escapes strings like RFC 8785: only ", \\ and control characters, lowercase hex', () => {
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson('a\\b')).toBe('"a\\\\b"');
    expect(canonicalJson('\n\r\t\b\f')).toBe('"\\n\\r\\t\\b\\f"');
    expect(canonicalJson('\u0000\u001f')).toBe('"\\u0000\\u001f"');
    expect(canonicalJson('\u000F')).toBe('"\\u000f"');
    // '/' and DEL are not escaped
    expect(canonicalJson('a/b\u007f')).toBe('"a/b\u007f"');
  });

  it('keeps non-ASCII text as is (no \\u escapes), including astral characters', () => {
    expect(canonicalJson('héllo wörld')).toBe('"héllo wörld"');
    expect(canonicalJson('€ 日本語 😀')).toBe('"€ 日本語 😀"');
    expect(canonicalJson({ clé: 'valeur', 名前: '値' })).toBe('{"clé":"valeur","名前":"値"}');
    expect(canonicalJson('\u2028\u2029')).toBe('"\u2028\u2029"');
  });
});

describe('canonicalJson: objects and arrays', () => {
  it('emits no insignificant whitespace', () => {
    expect(canonicalJson({ a: [1, 2, { b: null }], c: 'x y' })).toBe('{"a":[1,2,{"b":null}],"c":"x y"}');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson([[], {}])).toBe('[[],{}]');
  });

  it('sorts object keys', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
    expect(canonicalJson({ zeta: 1, Zeta: 2, alpha: 3, _x: 4 })).toBe('{"Zeta":2,"_x":4,"alpha":3,"zeta":1}');
    expect(canonicalJson({ ab: 1, a: 2, abc: 3, b: 4 })).toBe('{"a":2,"ab":1,"abc":3,"b":4}');
  });

  it('gives the same bytes whatever the key insertion order, at every depth', () => {
    const one = { b: { y: [1, { q: 1, p: 2 }], x: true }, a: 'first', c: { n: null, m: { k2: 2, k1: 1 } } };
    const two = { c: { m: { k1: 1, k2: 2 }, n: null }, a: 'first', b: { x: true, y: [1, { p: 2, q: 1 }] } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe('{"a":"first","b":{"x":true,"y":[1,{"p":2,"q":1}]},"c":{"m":{"k1":1,"k2":2},"n":null}}');
  });

  it('gives the same bytes for every permutation of keys', () => {
    const entries: Array<[string, number]> = [
      ['delta', 4],
      ['alpha', 1],
      ['charlie', 3],
      ['bravo', 2],
    ];
    const permutations = (items: Array<[string, number]>): Array<Array<[string, number]>> =>
      items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
    const outputs = new Set(permutations(entries).map((order) => canonicalJson({ nested: Object.fromEntries(order) })));
    expect(outputs).toEqual(new Set(['{"nested":{"alpha":1,"bravo":2,"charlie":3,"delta":4}}']));
  });

  it('keeps array order (arrays are not sorted)', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
    expect(
      canonicalJson([
        { b: 1, a: 2 },
        { d: 3, c: 4 },
      ]),
    ).toBe('[{"a":2,"b":1},{"c":4,"d":3}]');
  });

  it('drops object members whose value is undefined, at every depth', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ b: undefined })).toBe('{}');
    expect(canonicalJson({ x: { y: undefined, z: [{ w: undefined, v: 1 }] } })).toBe('{"x":{"z":[{"v":1}]}}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('drops undefined members on the slow path too', () => {
    expect(canonicalJson({ '1': undefined, a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ '1': 'one', b: undefined })).toBe('{"1":"one"}');
  });

  it('accepts null-prototype objects as plain objects', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = [true];
    expect(canonicalJson(bare)).toBe('{"a":[true],"b":1}');
    expect(canonicalJson({ '9': bare })).toBe('{"9":{"a":[true],"b":1}}');
  });

  it('does not treat a non-function toJSON member specially', () => {
    expect(canonicalJson({ toJSON: 'x', a: 1 })).toBe('{"a":1,"toJSON":"x"}');
  });

  it('round-trips through JSON.parse to an equal value', () => {
    const value = { z: [1, 'two', { three: 3 }], a: { nested: { deep: [null, false] } }, '10': 'ten', '9': 'nine' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('does not mutate its input', () => {
    const value = { b: { d: 1, c: 2 }, a: [3, 2, 1] };
    const before = JSON.stringify(value);
    canonicalJson(value);
    expect(JSON.stringify(value)).toBe(before);
    expect(Object.keys(value)).toEqual(['b', 'a']);
  });
});

describe('canonicalJson: key ordering by UTF-16 code units', () => {
  it('sorts integer-like keys as strings, not numerically ("10" < "9" < "b")', () => {
    // Object.keys lists these as ["9","10","b"]; the canonical order is by code unit.
    expect(canonicalJson({ b: 1, 10: 2, 9: 3 })).toBe('{"10":2,"9":3,"b":1}');
    expect(canonicalJson({ '9': 'nine', b: 'bee', '10': 'ten' })).toBe('{"10":"ten","9":"nine","b":"bee"}');
  });

  it('orders integer-like and other numeric-looking keys together by code unit', () => {
    expect(canonicalJson({ '2': 0, '1': 0, '01': 0, '0': 0, '-1': 0, '1.5': 0, '100': 0, a: 0, A: 0 })).toBe(
      '{"-1":0,"0":0,"01":0,"1":0,"1.5":0,"100":0,"2":0,"A":0,"a":0}',
    );
  });

  it('sorts integer-like keys in nested objects and inside arrays', () => {
    expect(canonicalJson({ outer: [{ '20': 'b', '3': 'a' }], a: { '100': 1, '11': 2, x: 3 } })).toBe(
      '{"a":{"100":1,"11":2,"x":3},"outer":[{"20":"b","3":"a"}]}',
    );
  });

  it('matches the RFC 8785 §3.2.3 sorting example (with the "1" key, slow path)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts by UTF-16 code unit, not by code point, on the fast path (no integer-like key)', () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB33 and U+FFFF
    // even though its code point is larger.
    const input = { '\uffff': 'max', '\ufb33': 'dalet', '\ud83d\ude00': 'emoji', '\u00f6': 'o', '\r': 'cr', '\u20ac': 'euro' };
    expect(canonicalJson(input)).toBe('{"\\r":"cr","\u00f6":"o","\u20ac":"euro","\ud83d\ude00":"emoji","\ufb33":"dalet","\uffff":"max"}');
  });

  it('gives identical output for a value on the fast path and on the slow path', () => {
    const samples: unknown[] = [
      { b: 1, a: [1, 2, { d: 'x', c: null }] },
      { '\ud83d\ude00': 1, '\uffff': 2, é: 3 },
      [0.1, -0, 1e21, 'str"ing', true, null],
      { a: undefined, b: { c: undefined, d: 1 } },
      'plain string',
      {},
      [],
    ];
    for (const sample of samples) {
      expect(viaSlowPath(sample)).toBe(canonicalJson(sample));
    }
  });
});

describe('canonicalJson: RFC 8785 reference example', () => {
  it('matches the §3.2.2 sample output', () => {
    const input = {
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000f\nA\'B"\\\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });
});

describe('canonicalJson: rejected values', () => {
  it('throws a CanonicalJsonError (an Error named CanonicalJsonError)', () => {
    const error = errorOf({ a: NaN });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CanonicalJsonError);
    expect(error.name).toBe('CanonicalJsonError');
  });

  it.each([
    ['NaN', { a: [0, { b: NaN }] }, /^\$\.a\[1\]\.b: NaN is not representable in JSON$/],
    ['Infinity', { a: [0, { b: Infinity }] }, /^\$\.a\[1\]\.b: Infinity is not representable in JSON$/],
    ['-Infinity', { a: [0, { b: -Infinity }] }, /^\$\.a\[1\]\.b: -Infinity is not representable in JSON$/],
    ['bigint', { a: [0, { b: BigInt(1) }] }, /^\$\.a\[1\]\.b: bigint is not a JSON value$/],
    ['function', { a: [0, { b: () => 1 }] }, /^\$\.a\[1\]\.b: function is not a JSON value$/],
    ['symbol', { a: [0, { b: Symbol('s') }] }, /^\$\.a\[1\]\.b: symbol is not a JSON value$/],
    ['Date', { a: [0, { b: new Date(0) }] }, /^\$\.a\[1\]\.b: only plain objects can be canonicalised$/],
    [
      'class instance',
      {
        a: [
          0,
          {
            b: new (class Point {
              x = 1;
            })(),
          },
        ],
      },
      /^\$\.a\[1\]\.b: only plain objects can be canonicalised$/,
    ],
    ['Map', { a: [0, { b: new Map([['k', 1]]) }] }, /^\$\.a\[1\]\.b: only plain objects can be canonicalised$/],
    ['Set', { a: [0, { b: new Set([1]) }] }, /^\$\.a\[1\]\.b: only plain objects can be canonicalised$/],
    ['boxed string', { a: [0, { b: new String('s') }] }, /^\$\.a\[1\]\.b: only plain objects can be canonicalised$/],
    ['RegExp', { a: [0, { b: /x/ }] }, /^\$\.a\[1\]\.b: only plain objects can be canonicalised$/],
  ])('rejects %s and names its JSON path', (_label, value, message) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(errorOf(value).message).toMatch(message);
  });

  it('names the root as "$"', () => {
    expect(errorOf(NaN).message).toBe('$: NaN is not representable in JSON');
    expect(errorOf(undefined).message).toBe('$: undefined is not a JSON value');
    expect(errorOf(new Date(0)).message).toBe('$: only plain objects can be canonicalised');
    expect(errorOf(BigInt(10)).message).toBe('$: bigint is not a JSON value');
  });

  it('names array indices and nested keys along the path', () => {
    expect(errorOf([1, [2, [3, NaN]]]).message).toMatch(/^\$\[1\]\[1\]\[1\]: /);
    expect(errorOf({ outer: { inner: { leaf: Infinity } } }).message).toMatch(/^\$\.outer\.inner\.leaf: /);
    expect(errorOf({ list: [{ ok: 1 }, { ok: 2 }, { bad: () => 0 }] }).message).toMatch(/^\$\.list\[2\]\.bad: /);
  });

  it('rejects undefined inside arrays (it cannot be dropped without shifting indices)', () => {
    expect(errorOf([1, undefined, 3]).message).toBe('$[1]: undefined is not a JSON value');
  });

  it('names the path correctly when the value also has integer-like keys', () => {
    expect(errorOf({ '10': { '2': [NaN] } }).message).toMatch(/^\$\.10\.2\[0\]: NaN/);
  });

  it('reports the first bad member in canonical (sorted) key order', () => {
    expect(errorOf({ z: NaN, a: BigInt(1) }).message).toBe('$.a: bigint is not a JSON value');
  });

  it('does not accept a cyclic structure', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});

describe('canonicalJson: known defects (expected to fail until fixed)', () => {
  // Bug: on the fast path `copy[key] = …` with key "__proto__" sets the copy's prototype
  // instead of creating a member, so an own "__proto__" member (as JSON.parse creates)
  // silently disappears from the output. The slow path keeps it.
  it('keeps an own "__proto__" member on the fast path', () => {
    const value = JSON.parse('{"__proto__":{"a":1},"b":2}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"a":1},"b":2}');
  });

  it('keeps an own "__proto__" member on the slow path', () => {
    const value = JSON.parse('{"__proto__":{"a":1},"b":2,"1":0}') as unknown;
    expect(canonicalJson(value)).toBe('{"1":0,"__proto__":{"a":1},"b":2}');
  });

  // Bug: Array.prototype.map skips holes, so the fast path emits `null` for a hole,
  // while the slow path rejects it as undefined. The same array gives bytes or an error
  // depending on whether an unrelated integer-like key exists elsewhere in the value.
  it('treats a hole in an array like an undefined element (rejects it) on the fast path', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    expect(() => canonicalJson({ a: sparse })).toThrow(CanonicalJsonError);
  });

  it('rejects a hole in an array on the slow path', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    expect(errorOf({ '1': 0, a: sparse }).message).toBe('$.a[1]: undefined is not a JSON value');
  });
});
