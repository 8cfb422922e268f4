import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { proxy } from '@/proxy';
import { makeTempDir, TEST_SECRET, type TempDir } from '../test-support';

describe('proxy.ts content security policy', () => {
  let dir: TempDir;

  beforeAll(() => {
    dir = makeTempDir('vigil-csp-');
    vi.stubEnv('VIGIL_DATA_DIR', dir.path);
    vi.stubEnv('VIGIL_SECRET', TEST_SECRET);
    vi.stubEnv('WORKER_PORT', '4711');
  });

  afterAll(() => {
    vi.unstubAllEnvs();
    (globalThis as { vigilWebEnv?: unknown }).vigilWebEnv = undefined;
    dir.remove();
  });

  it('gives each page its own nonce, in the policy the browser sees and the copy Next.js reads', () => {
    // Behind the custom server the URL names the listening address; the browser's host is in Host.
    const first = proxy(new NextRequest('http://0.0.0.0:3000/audit?severity=critical', { headers: { 'x-nonce': 'forged', host: 'console.example:3000' } }));
    const second = proxy(new NextRequest('http://console.example:3000/audit'));
    const policy = first.headers.get('content-security-policy') ?? '';
    const nonce = first.headers.get('x-middleware-request-x-nonce');
    expect(nonce).not.toBe('forged');
    expect(policy).toContain(`'nonce-${nonce}'`);
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
    expect(policy).toContain('ws://console.example:4711');
    expect(policy).not.toContain('0.0.0.0');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(second.headers.get('x-middleware-request-x-nonce')).not.toBe(nonce);
    expect(first.headers.get('x-middleware-request-x-vigil-page')).toBe('/audit?severity=critical');
  });

  it('leaves API answers without a page policy', () => {
    const response = proxy(new NextRequest('http://console.example:3000/api/health/current', { headers: { 'x-nonce': 'forged' } }));
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(response.headers.get('x-middleware-request-x-nonce')).toBeNull();
  });
});
