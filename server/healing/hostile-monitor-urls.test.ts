import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoleToken, startTestWorker, type TestWorker } from '../test-support';

/** An operator's token registers monitors through the worker's machine API: what it may not make the worker do. */
let t: TestWorker;
let token: string;
beforeAll(async () => {
  t = await startTestWorker();
  token = await createRoleToken(t, 'operator');
});
afterAll(() => t?.destroy());

const register = async (url: string) => {
  const response = await fetch(`http://127.0.0.1:${t.port}/api/v1/modules`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'pg-hostile', kind: 'postgres', url }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
};

describe('a PostgreSQL monitor registered by an operator', () => {
  it('a URL that does not parse is a 422 naming the field, not a 500', async () => {
    const answer = await register('not a url');
    expect(answer, JSON.stringify(answer)).toMatchObject({ status: 422 });
    expect(answer.body.error?.message).toMatch(/url/);
  });

  it('a URL that would make the worker read /dev/zero (the driver reads sslcert synchronously) is refused before it is stored', async () => {
    const answer = await register('postgres://vigil@127.0.0.1:1/app?sslcert=/dev/zero');
    expect(answer, JSON.stringify(answer)).toMatchObject({ status: 422 });
    expect(answer.body.error?.message).toMatch(/sslcert is not allowed/);
    const listed = await fetch(`http://127.0.0.1:${t.port}/api/v1/modules`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await listed.json()) as { name: string }[]).map((module) => module.name)).not.toContain('pg-hostile');
  });
});
