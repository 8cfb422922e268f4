import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonBody, refuseUnstorableQuery } from './json-body';

function nestingOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return 1 + Math.max(0, ...children.map(nestingOf));
}

describe('jsonDepth', () => {
  it('counts brackets outside strings only, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{","b":"\\"[[["}')).toBe(1);
    expect(jsonDepth('[[1],[[2]]]')).toBe(3);
    expect(jsonDepth('"just a string"')).toBe(0);
  });

  it('agrees with the structure of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => jsonDepth(JSON.stringify(value)) === nestingOf(value)),
      { numRuns: 300 },
    );
  });
});

describe('parseJsonBody', () => {
  it('parses up to the limit and refuses one level past it with 400 json_too_deep', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(nestingOf(parseJsonBody(nested(MAX_JSON_DEPTH)))).toBe(MAX_JSON_DEPTH);
    expect(() => parseJsonBody(nested(MAX_JSON_DEPTH + 1))).toThrow(expect.objectContaining({ status: 400, code: 'json_too_deep' }));
  });

  it('answers any text with a value, a 400 or a 422 for text no store can hold, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json()), (text) => {
        try {
          parseJsonBody(text);
        } catch (error) {
          expect(error).toBeInstanceOf(HttpError);
          const { status, code } = error as HttpError;
          expect(status === 400 || (status === 422 && code === 'invalid_text')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('text no store can hold', () => {
  it('refuses a NUL in any string or field name of a body with 422 naming the field by its path', () => {
    expect(() => parseJsonBody('{"title":"a\\u0000b"}')).toThrow(
      expect.objectContaining({ status: 422, code: 'invalid_text', message: expect.stringContaining('title:') }),
    );
    expect(() => parseJsonBody('{"a":{"b":["\\u0000"]}}')).toThrow(
      expect.objectContaining({ code: 'invalid_text', message: expect.stringContaining('a.b.0:') }),
    );
    expect(() => parseJsonBody('{"\\u0000":1}')).toThrow(expect.objectContaining({ code: 'invalid_text' }));
    expect(parseJsonBody('{"path":"C:\\\\u0000"}')).toEqual({ path: 'C:\\u0000' });
  });

  it('refuses an unpaired surrogate, escaped or raw, and keeps pairs', () => {
    expect(() => parseJsonBody('{"username":"\\ud800"}')).toThrow(
      expect.objectContaining({ status: 422, code: 'invalid_text', message: expect.stringContaining('username:') }),
    );
    expect(() => parseJsonBody('["\\udfff x"]')).toThrow(expect.objectContaining({ code: 'invalid_text' }));
    expect(() => parseJsonBody('["\ud800"]')).toThrow(expect.objectContaining({ code: 'invalid_text' }));
    expect(parseJsonBody('{"emoji":"\\ud83d\\ude00","raw":"\ud83d\ude00"}')).toEqual({ emoji: '\u{1F600}', raw: '\u{1F600}' });
  });

  it('refuses a NUL in a query parameter with 422 naming it', () => {
    expect(() => refuseUnstorableQuery(new URLSearchParams('q=%00'))).toThrow(
      expect.objectContaining({ status: 422, code: 'invalid_text', message: expect.stringContaining('q:') }),
    );
    expect(() => refuseUnstorableQuery(new URLSearchParams('q=plain&limit=5'))).not.toThrow();
  });
});
