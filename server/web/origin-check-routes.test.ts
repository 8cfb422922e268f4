import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as login } from '@/app/api/auth/login/route';
import { startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes } from '../test-support/web-routes';

const UNTRUSTED_PEER = '203.0.113.9';
const TRUSTED_PEER = '127.0.0.1';

/** A sign-in form post as the web server hands it on: the socket peer stamped, the rest as sent. */
function signInFrom(peer: string, headers: Record<string, string>): NextRequest {
  return new NextRequest('http://console.example:3000/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: 'console.example:3000', 'x-vigil-peer': peer, ...headers },
    body: JSON.stringify({ username: 'nobody', password: 'wrong password' }),
  });
}

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('the Origin check believes forwarded headers only from trusted proxies', () => {
  let t: TestWorker;

  beforeAll(async () => {
    t = await startTestWorker();
    await connectWebRoutes(t, []);
  });

  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('refuses a cross-site post that names its own site in X-Forwarded-Host from an ordinary client', async () => {
    const response = await login(signInFrom(UNTRUSTED_PEER, { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' }));
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('cross_site');
  });

  it("takes the public host from a trusted proxy's X-Forwarded-Host", async () => {
    const response = await login(signInFrom(TRUSTED_PEER, { origin: 'https://vigil.example.org', 'x-forwarded-host': 'vigil.example.org' }));
    expect(await codeOf(response)).toBe('invalid_credentials');
    const forged = await login(signInFrom(TRUSTED_PEER, { origin: 'https://evil.example', 'x-forwarded-host': 'vigil.example.org' }));
    expect(await codeOf(forged)).toBe('cross_site');
  });

  it('compares with the Host header when no trusted proxy speaks', async () => {
    expect(await codeOf(await login(signInFrom(UNTRUSTED_PEER, { origin: 'http://console.example:3000' })))).toBe('invalid_credentials');
    expect(await codeOf(await login(signInFrom(UNTRUSTED_PEER, { origin: 'http://console.example:3000', 'x-forwarded-host': 'evil.example' })))).toBe(
      'invalid_credentials',
    );
  });
});
