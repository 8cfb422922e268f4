import { describe, expect, it } from 'vitest';
import { logsConfigSchema } from '@/lib/config/logs-config';
import { compileLineParser } from './log-patterns';

const sshd = compileLineParser({ format: 'sshd', patterns: [] });
const combined = compileLineParser({ format: 'nginx', patterns: [] });

describe('sshd preset', () => {
  it.each([
    [
      'Nov 23 10:00:01 host sshd[123]: Failed password for root from 203.0.113.9 port 52144 ssh2',
      { kind: 'auth_failure', source: '203.0.113.9', user: 'root' },
    ],
    [
      'Nov 23 10:00:01 host sshd[123]: Failed password for invalid user admin from 2001:db8::7 port 1 ssh2',
      { kind: 'auth_failure', source: '2001:db8::7', user: 'admin' },
    ],
    ['Nov 23 10:00:01 host sshd[123]: Invalid user oracle from 198.51.100.4 port 40000', { kind: 'auth_failure', source: '198.51.100.4', user: 'oracle' }],
    [
      'Nov 23 10:00:01 host sshd[9]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1  user=bob',
      { kind: 'auth_failure', source: '192.0.2.1', user: 'bob' },
    ],
    [
      'Nov 23 10:00:01 host sshd[9]: Accepted publickey for alice from ::ffff:192.0.2.8 port 22 ssh2: ED25519 SHA256:x',
      { kind: 'auth_success', source: '192.0.2.8', user: 'alice' },
    ],
  ])('reads %s', (line, expected) => {
    expect(sshd(line)).toEqual([expected]);
  });

  it('ignores lines that name no address, or a host name where the address should be', () => {
    expect(sshd('Nov 23 10:00:01 host sshd[9]: Connection closed by 203.0.113.9 port 22 [preauth]')).toEqual([]);
    expect(sshd('sshd[9]: pam_unix(sshd:auth): authentication failure; rhost=evil.example.com')).toEqual([]);
    expect(sshd('\u0000\u0001\uFFFD garbage')).toEqual([]);
  });
});

describe('combined access log preset', () => {
  it('turns a request into a request signal with path and status', () => {
    const line = '203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] "GET /index.html?q=1 HTTP/1.1" 200 512 "-" "curl/8"';
    expect(combined(line)).toEqual([{ kind: 'request', source: '203.0.113.9', path: '/index.html?q=1', status: 200 }]);
  });

  it('adds not_found for a 404 and keeps the authenticated user', () => {
    const line = '2001:db8::1 - carol [23/Nov/2026:10:00:00 +0000] "GET /wp-login.php HTTP/1.1" 404 0 "-" "x"';
    expect(combined(line).map((s) => [s.kind, s.user, s.status])).toEqual([
      ['request', 'carol', 404],
      ['not_found', 'carol', 404],
    ]);
  });
});

describe('custom patterns', () => {
  it('match with named groups, before the preset', () => {
    const parse = compileLineParser({ format: 'custom', patterns: [{ kind: 'auth_failure', regex: 'login failed user=(?<user>\\w+) ip=(?<source>\\S+)' }] });
    expect(parse('app: login failed user=dave ip=192.0.2.50')).toEqual([{ kind: 'auth_failure', source: '192.0.2.50', user: 'dave' }]);
  });

  it('are validated: a broken regex, a missing source group or a custom format without patterns', () => {
    const result = logsConfigSchema.safeParse({
      files: [
        { path: '/a', format: 'custom', patterns: [{ kind: 'custom', regex: '(' }] },
        { path: '/b', format: 'sshd', patterns: [{ kind: 'custom', regex: 'x' }] },
        { path: '/c', format: 'custom' },
      ],
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'files.0.patterns.0.regex: is not a valid regular expression',
        'files.1.patterns.0.regex: must capture the client address as (?<source>…)',
        'files.2.patterns: a custom format needs at least one pattern',
      ]),
    );
  });
});
