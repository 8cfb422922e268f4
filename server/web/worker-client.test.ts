import { afterEach, describe, expect, it } from 'vitest';
import type { HealthSnapshot } from '@/lib/health/types';
import { FixedSampler, findFreePort, makeSample, rejectionOf, startTestWorker, TEST_SECRET, type TestWorker } from '../test-support';
import { sendJsonResponse, startStubHttpServer, type StubHandler, type StubHttpServer } from '../test-support/stub-http-server';
import { internalToken } from '../auth/keys';
import { runWithRequestId } from './request-scope';
import { WORKER_CONTRACTS, healingContracts, recoveryContracts } from '../contracts';
import { WorkerBadResponseError, WorkerClient, WorkerRejectedError, WorkerUnavailableError } from './worker-client';

const SNAPSHOT: HealthSnapshot = {
  sample: makeSample({}, new Date('2026-01-01T00:00:00.000Z')),
  score: 100,
  deductions: [],
  degradation: 'NORMAL',
  pinnedDegradation: null,
  disabledFeatures: [],
  workerStartedAt: '2026-01-01T00:00:00.000Z',
  database: { ok: true, pendingEvents: 0, lastError: null },
};

/** Answers like the worker's internal routes: the derived bearer or 401. */
function fakeWorker(answer: StubHandler): StubHandler {
  return (request, res) => {
    if (request.headers.authorization !== `Bearer ${internalToken(TEST_SECRET)}`) {
      sendJsonResponse(res, 401, { error: { code: 'unauthorized', message: 'internal endpoint' } });
      return;
    }
    answer(request, res);
  };
}

describe('WorkerClient', () => {
  const servers: StubHttpServer[] = [];
  let worker: TestWorker | null = null;

  async function serve(handler: StubHandler): Promise<StubHttpServer> {
    const server = await startStubHttpServer(handler);
    servers.push(server);
    return server;
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await worker?.destroy();
    worker = null;
  });

  it('reads the current health with the internal bearer', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, SNAPSHOT)));
    expect(await new WorkerClient(server.url, TEST_SECRET).currentHealth()).toEqual(SNAPSHOT);
    expect(server.requests).toEqual([expect.objectContaining({ method: 'GET', path: '/internal/v1/health', body: '' })]);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${internalToken(TEST_SECRET)}`);
    expect(server.requests[0].headers['content-type']).toBeUndefined();
  });

  it('forwards the id of the web request it serves, and sends none outside one', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, SNAPSHOT)));
    const client = new WorkerClient(server.url, TEST_SECRET);
    await runWithRequestId('web-7f3a', async () => {
      await client.currentHealth();
      await client.pinDegradation({ level: null, actor: 'user:alice', reason: 'same request, second call' });
    });
    await Promise.all([runWithRequestId('web-a', () => client.currentHealth()), runWithRequestId('web-b', () => client.currentHealth())]);
    await client.currentHealth();
    const sent = server.requests.map((request) => request.headers['x-request-id']);
    expect(sent.slice(0, 2)).toEqual(['web-7f3a', 'web-7f3a']);
    expect(sent.slice(2, 4).sort()).toEqual(['web-a', 'web-b']);
    expect(sent[4]).toBeUndefined();
  });

  it('passes on "no snapshot yet" as null', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, null)));
    expect(await new WorkerClient(server.url, TEST_SECRET).currentHealth()).toBeNull();
  });

  it('sends a pin as JSON and returns the new snapshot', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, SNAPSHOT)));
    const input = { level: 'LEVEL_2' as const, actor: 'user:alice', reason: 'maintenance window' };
    expect(await new WorkerClient(server.url, TEST_SECRET).pinDegradation(input)).toEqual(SNAPSHOT);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/internal/v1/degradation/pin' });
    expect(request.headers.authorization).toBe(`Bearer ${internalToken(TEST_SECRET)}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(input);
  });

  it('sends a cleared pin (level null) as JSON null', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, SNAPSHOT)));
    await new WorkerClient(server.url, TEST_SECRET).pinDegradation({ level: null, actor: 'user:alice', reason: 'back to normal' });
    expect(JSON.parse(server.requests[0].body)).toEqual({ level: null, actor: 'user:alice', reason: 'back to normal' });
  });

  it("raises the worker's refusal with its status, code and message", async () => {
    const server = await serve(
      fakeWorker((_req, res) => sendJsonResponse(res, 422, { error: { code: 'invalid_body', message: 'reason: give a reason of at least 3 characters' } })),
    );
    const error = await rejectionOf(
      new WorkerClient(server.url, TEST_SECRET).pinDegradation({ level: 'LEVEL_1', actor: 'user:alice', reason: 'x' }),
      WorkerRejectedError,
    );
    expect(error).toMatchObject({ name: 'WorkerRejectedError', status: 422, code: 'invalid_body', message: 'reason: give a reason of at least 3 characters' });
  });

  it('is refused with 401 when the secrets differ', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, SNAPSHOT)));
    const error = await rejectionOf(new WorkerClient(server.url, `${TEST_SECRET}-not-the-same`).currentHealth(), WorkerRejectedError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'internal endpoint' });
  });

  it('names the status when the refusal has no error body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad Gateway</h1>');
    });
    const error = await rejectionOf(new WorkerClient(server.url, TEST_SECRET).currentHealth(), WorkerRejectedError);
    expect(error).toMatchObject({ status: 502, code: 'worker_error', message: 'worker answered 502' });
  });

  it('never takes an unreadable 200 for "no snapshot yet"', async () => {
    const html = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<h1>not the worker</h1>');
    });
    const garbled = await rejectionOf(new WorkerClient(html.url, TEST_SECRET).currentHealth(), WorkerUnavailableError);
    expect(garbled.message).toBe('the worker is not reachable (unreadable response)');

    // Headers arrive, then the body stalls past the timeout.
    const stalled = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"sample":');
    });
    const timedOut = await rejectionOf(new WorkerClient(stalled.url, TEST_SECRET, 150).currentHealth(), WorkerUnavailableError);
    expect(timedOut.message).toBe('the worker is not reachable (timed out)');
  });

  it('refuses a success its contract does not describe as a bad gateway, naming the route and the field', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, { ...SNAPSHOT, score: 'full marks' })));
    const error = await rejectionOf(new WorkerClient(server.url, TEST_SECRET).currentHealth(), WorkerBadResponseError);
    expect(error).toMatchObject({ status: 502, code: 'worker_bad_response', message: expect.stringContaining('GET /internal/v1/health') });
    expect(error.message).toContain('score');
  });

  it('fills path parameters and the query from the contract, escaped', async () => {
    const server = await serve(fakeWorker((_req, res) => sendJsonResponse(res, 200, [{ path: 'etc/a b', change: 'added' }])));
    const client = new WorkerClient(server.url, TEST_SECRET);
    expect(await client.call(recoveryContracts.diffSnapshot, { params: { ref: 'golden/1' }, query: { against: 'older' } })).toEqual([
      { path: 'etc/a b', change: 'added' },
    ]);
    expect(await client.call(recoveryContracts.diffSnapshot, { params: { ref: 'golden' }, query: {} })).toHaveLength(1);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /internal/v1/recovery/snapshots/golden%2F1/diff?against=older',
      'GET /internal/v1/recovery/snapshots/golden/diff',
    ]);
  });

  it('reports a port nobody listens on as unavailable', async () => {
    const port = await findFreePort();
    const error = await rejectionOf(new WorkerClient(`http://127.0.0.1:${port}`, TEST_SECRET).currentHealth(), WorkerUnavailableError);
    expect(error.name).toBe('WorkerUnavailableError');
    expect(error.message).toBe('the worker is not reachable (ECONNREFUSED)');
  });

  it('gives up on a worker that never answers after timeoutMs', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await rejectionOf(
      new WorkerClient(server.url, TEST_SECRET, 150).pinDegradation({ level: null, actor: 'user:alice', reason: 'stuck?' }),
      WorkerUnavailableError,
    );
    expect(error.message).toBe('the worker is not reachable (timed out)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.requests).toHaveLength(1);
  });

  it("speaks the real worker's internal API", async () => {
    worker = await startTestWorker({ sampler: new FixedSampler().scoreWillBe(100) });
    const client = new WorkerClient(`http://127.0.0.1:${worker.port}`, TEST_SECRET);
    await client.currentHealth();
    const pinned = await client.pinDegradation({ level: 'LEVEL_2', actor: 'user:alice', reason: 'contract test' });
    expect(pinned).toMatchObject({ score: 100, degradation: 'LEVEL_2', pinnedDegradation: 'LEVEL_2' });
    expect(await client.currentHealth()).toMatchObject({ degradation: 'LEVEL_2', pinnedDegradation: 'LEVEL_2' });
    const refused = await rejectionOf(client.pinDegradation({ level: 'LEVEL_9' as never, actor: 'user:alice', reason: 'no such level' }), WorkerRejectedError);
    expect(refused).toMatchObject({ status: 422, code: 'invalid_request', message: expect.stringContaining('level') });
    const wrongSecret = await rejectionOf(
      new WorkerClient(`http://127.0.0.1:${worker.port}`, 'another-secret-0123456789abcdef0123').currentHealth(),
      WorkerRejectedError,
    );
    expect(wrongSecret).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it("reads every answer of the real worker's internal reads through their contracts", async () => {
    worker = await startTestWorker({ sampler: new FixedSampler().scoreWillBe(100) });
    const client = new WorkerClient(`http://127.0.0.1:${worker.port}`, TEST_SECRET);
    // The reads that need nothing but the internal key; a contract that did not describe its answer would throw here.
    const reads = WORKER_CONTRACTS.filter((contract) => contract.auth === 'internal' && contract.method === 'GET' && !contract.path.includes(':'));
    expect(reads.length).toBeGreaterThan(8);
    for (const contract of reads) await expect(client.call(contract, {}), `${contract.method} ${contract.path}`).resolves.toBeDefined();
    const defined = await client.defineModule({
      definition: { name: 'contract-probe', kind: 'http', url: 'http://127.0.0.1:9/' },
      actor: { name: 'alice', role: 'admin' },
    });
    expect(defined).toMatchObject({ name: 'contract-probe', state: expect.any(String) });
    expect(await client.call(healingContracts.moduleLogs, { params: { name: 'contract-probe' } })).toEqual({ module: 'contract-probe', lines: [] });
  });
});
