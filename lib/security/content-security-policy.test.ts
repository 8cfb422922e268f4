import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, hostnameOf, newNonce, workerConnectSources } from './content-security-policy';

const directives = (policy: string) => Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('content security policy', () => {
  it('runs only scripts with the nonce, frames nothing, loads no plugins', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc123', connectSources: ['ws://console.example:3001'], development: false }));
    expect(policy['script-src']).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy['script-src']).not.toContain("'unsafe-inline'");
    expect(policy['script-src']).not.toContain("'unsafe-eval'");
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'self'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['connect-src']).toEqual(["'self'", 'ws://console.example:3001']);
  });

  it("lets the browser reach the worker's socket where the live connection dials it", () => {
    expect(workerConnectSources({ workerPublicUrl: null, workerPort: 3001, pageHostname: 'console.example' })).toEqual([
      'http://console.example:3001',
      'https://console.example:3001',
      'ws://console.example:3001',
      'wss://console.example:3001',
    ]);
    expect(workerConnectSources({ workerPublicUrl: null, workerPort: 3001, pageHostname: '::1' })).toContain('ws://[::1]:3001');
    expect(workerConnectSources({ workerPublicUrl: 'https://live.example.org/', workerPort: 3001, pageHostname: 'console.example' })).toEqual([
      'https://live.example.org',
      'wss://live.example.org',
    ]);
  });

  it('takes the host the browser named, and nothing that could add a directive', () => {
    expect(hostnameOf('console.example:3000')).toBe('console.example');
    expect(hostnameOf('[::1]:3000')).toBe('[::1]');
    expect(hostnameOf('127.0.0.1')).toBe('127.0.0.1');
    expect(hostnameOf("evil.example; script-src 'unsafe-inline'")).toBeNull();
    expect(hostnameOf(null)).toBeNull();
    expect(workerConnectSources({ workerPublicUrl: null, workerPort: 3001, pageHostname: null })).toEqual([]);
  });

  it('makes a new nonce every time', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
