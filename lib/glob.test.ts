import { describe, expect, it } from 'vitest';
import { globToRegExp, pathFilter } from './glob';

describe('globToRegExp', () => {
  it.each([
    ['*.log', 'app.log', true],
    ['*.log', 'deep/dir/app.log', true],
    ['*.log', 'app.log.1', false],
    ['tmp/**', 'tmp/a/b', true],
    ['tmp/**', 'src/tmp/a', false],
    ['**/cache', 'a/b/cache/x', true],
    ['node_modules', 'x/node_modules/y.js', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/deep/a.ts', false],
    ['file(1).txt', 'file(1).txt', true],
  ])('%s against %s is %s', (pattern, candidate, expected) => {
    expect(globToRegExp(pattern).test(candidate)).toBe(expected);
  });

  it('excludes a directory and everything under it', () => {
    const filter = pathFilter(['cache', '*.tmp']);
    expect(filter.excludes('cache')).toBe(true);
    expect(filter.excludes('cache/deep/file')).toBe(true);
    expect(filter.excludes('data/x.tmp')).toBe(true);
    expect(filter.excludes('data/x.txt')).toBe(false);
  });
});
