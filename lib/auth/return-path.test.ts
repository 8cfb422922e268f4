import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOME_PATH, sameOriginPath, signInPathFor } from './return-path';

const ORIGIN = 'https://vigil.example.org:8443';

/** What a browser does with location = result: the page it lands on must be on the console. */
function landsOnConsole(result: string): boolean {
  return result.startsWith('/') && !result.startsWith('//') && !result.startsWith('/\\') && new URL(result, ORIGIN).origin === ORIGIN;
}

describe('sameOriginPath', () => {
  it.each([
    // What ?next=/%5Cevil.example/x reads as once the query is decoded…
    ['/\\evil.example/x', HOME_PATH],
    // …and a backslash still encoded is a name on this console, not a host.
    ['/%5Cevil.example/x', '/%5Cevil.example/x'],
    ['/\t/evil.example', HOME_PATH],
    ['/\n/evil.example', HOME_PATH],
    ['\\\\evil.example', HOME_PATH],
    ['//evil.example', HOME_PATH],
    ['///evil.example', HOME_PATH],
    ['https://evil.example/', HOME_PATH],
    ['http://vigil.example.org:8443/', HOME_PATH],
    ['https:evil.example', '/evil.example'],
    ['javascript:alert(1)', HOME_PATH],
    ['data:text/html,<script>alert(1)</script>', HOME_PATH],
    [' //evil.example', HOME_PATH],
    ['/.//evil.example', '/evil.example'],
    ['/a/..//evil.example', '/evil.example'],
    ['', HOME_PATH],
    [null, HOME_PATH],
    [undefined, HOME_PATH],
    ['/audit?severity=critical', '/audit?severity=critical'],
    ['/audit?severity=critical#e-4', '/audit?severity=critical#e-4'],
    [`${ORIGIN}/admin`, '/admin'],
    ['admin', '/admin'],
  ])('%j → %j', (next, expected) => {
    expect(sameOriginPath(next, ORIGIN)).toBe(expected);
  });

  it('always gives a path that stays on the console, whatever comes in', () => {
    const nasty = fc.oneof(
      fc.string(),
      fc.webUrl(),
      fc
        .array(fc.constantFrom('/', '\\', '\t', '\n', ' ', '.', '%5C', '%2F', ':', '@', '?', '#', 'evil.example', 'javascript:', 'https:'), { maxLength: 8 })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(nasty, (next) => landsOnConsole(sameOriginPath(next, ORIGIN))),
      { numRuns: 2000 },
    );
  });
});

describe('signInPathFor', () => {
  it('carries the page and its query through sign-in and back', () => {
    const signIn = signInPathFor('/audit?severity=critical');
    expect(signIn).toBe('/login?next=%2Faudit%3Fseverity%3Dcritical');
    expect(sameOriginPath(new URL(signIn, ORIGIN).searchParams.get('next'), ORIGIN)).toBe('/audit?severity=critical');
    expect(signInPathFor(HOME_PATH)).toBe('/login');
    expect(signInPathFor(null)).toBe('/login');
  });
});
