import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken } from '../auth/api-tokens';
import { changeUser } from '../auth/user-admin';
import { createApiToken } from '../queries/api-tokens';
import { createUser } from '../queries/users';
import { api, startTestWorker, waitFor, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// Tokens on the web app's operator API follow their owner's account like those on the worker's machine API.
describe("API tokens and their owner's account on the web app", () => {
  let t: TestWorker;
  const tokensRoute = () => import('@/app/api/tokens/route');
  const listTokens = async (token: string) => (await (await tokensRoute()).GET(routeRequest('/api/tokens', { token }), routeParams())).status;

  beforeAll(async () => {
    t = await startTestWorker();
    await connectWebRoutes(t, []);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('makes a token created with a token act for the same person, and ends both with that account', async () => {
    const prisma = t.worker.database.prisma;
    const [alice, spare] = [randomUUID(), randomUUID()];
    await createUser(prisma, { id: alice, username: 'alice', passwordHash: 'x', role: 'admin' });
    await createUser(prisma, { id: spare, username: 'spare', passwordHash: 'x', role: 'admin' });
    const generated = generateApiToken();
    await createApiToken(prisma, {
      id: randomUUID(),
      name: 'alice laptop',
      prefix: generated.prefix,
      tokenHash: generated.tokenHash,
      role: 'admin',
      createdById: alice,
    });

    const response = await (
      await tokensRoute()
    ).POST(routeRequest('/api/tokens', { token: generated.token, json: { name: 'alice ci', role: 'operator' } }), routeParams());
    expect(response.status).toBe(201);
    const made = ((await response.json()) as { token: { id: string; secret: string } }).token;
    expect((await prisma.apiToken.findUnique({ where: { id: made.id } }))?.createdById).toBe(alice);
    expect(await listTokens(generated.token)).toBe(200);
    expect((await api(t.port, '/api/v1/isolations', { token: made.secret })).status).toBe(200);

    await changeUser(prisma, alice, { disabled: true });
    await waitFor(async () => (await listTokens(generated.token)) === 401, { what: "the web app to refuse the disabled owner's token" });
    await waitFor(async () => (await api(t.port, '/api/v1/isolations', { token: made.secret })).status === 401, {
      what: 'the worker to refuse the token made with it',
    });
  });
});
