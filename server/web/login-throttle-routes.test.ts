import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as login } from '@/app/api/auth/login/route';
import { hashPassword } from '../auth/passwords';
import { startTestWorker, type TestWorker } from '../test-support';
import { seedUser } from '../test-support/users';
import { connectWebRoutes, disconnectWebRoutes } from '../test-support/web-routes';

/** The web app's default: failures one account may have from one address in the window. */
const ACCOUNT_PER_SOURCE_LIMIT = 10;
const PASSWORD = 'correct horse battery staple';

function signIn(peer: string, username: string, password: string): Promise<Response> {
  return login(
    new NextRequest('http://localhost/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vigil-peer': peer },
      body: JSON.stringify({ username, password }),
    }),
  );
}

describe('sign-in throttling', () => {
  let t: TestWorker;

  beforeAll(async () => {
    t = await startTestWorker();
    await connectWebRoutes(t, []);
    await seedUser(t.worker.database.prisma, { username: 'alice', role: 'operator', passwordHash: await hashPassword(PASSWORD) });
  });

  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('evaluates at most the limit of guesses sent all at once', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => signIn('198.51.100.7', 'alice', 'guess')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_PER_SOURCE_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - ACCOUNT_PER_SOURCE_LIMIT);
    expect(answers.find((a) => a.status === 429)?.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('does not lock the real user out from another address', async () => {
    expect((await signIn('198.51.100.7', 'alice', PASSWORD)).status).toBe(429);
    // Evaluated (401 for a wrong password), not refused: a session needs Next's request scope, so
    // the success itself is the throttle's own test.
    expect((await signIn('203.0.113.20', 'alice', 'typo in the password')).status).toBe(401);
  });
});
