import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_API_TOKEN, waitFor, type TestWorker } from '../../test-support';
import { GUARD_TEST_CONFIG, internalCall, startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';

/**
 * The worker's own guard route (Node's http) and the dedicated guard process (its own server) asked
 * the same requests by a real proxy's rules: the same statuses, the same headers in the same order,
 * but for Date.
 */
interface Answer {
  status: number;
  headers: string[];
}

/** The answer as sent: every header line but Date, in order, names as sent. */
function ask(
  port: number,
  path: string,
  { from = '127.0.0.1', method = 'GET', headers = {} as Record<string, string>, keepAlive = false } = {},
): Promise<Answer> {
  // Kept alive as a proxy's upstream pool keeps it, or closed after the answer.
  const agent = keepAlive ? new Agent({ keepAlive: true }) : false;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, localAddress: from, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (agent) agent.destroy();
        const lines: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i] !== 'Date') lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        resolve({ status: res.statusCode ?? 0, headers: lines });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A raw HTTP/1.0 request: the status line and header lines but Date. */
function ask10(port: number, head: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(head));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve(
        text
          .split('\r\n\r\n')[0]
          .split('\r\n')
          .filter((line) => !line.startsWith('Date: ')),
      ),
    );
  });
}

describe('the guard process answers as the worker’s guard route does', () => {
  let t: TestWorker;
  let guardPort: number;

  beforeAll(async () => {
    t = await startDefenseWorker({ yaml: GUARD_TEST_CONFIG, vars: { VIGIL_GUARD_PORT: '0' } });
    guardPort = t.worker.guard!.port!;
    const isolated = await api(t.port, '/api/v1/isolations', {
      json: { source: '203.0.113.50', duration: '1h', reason: 'equivalence' },
      token: TEST_API_TOKEN,
    });
    expect(isolated.status).toBe(201);
    await waitFor(async () => (await guardCheck(guardPort, { headers: { 'x-forwarded-for': '203.0.113.50' } })).status === 403, {
      what: 'the isolation at the guard process',
    });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const cases: Array<[string, string, Parameters<typeof ask>[2]]> = [
    ['a client that passes', '/guard/check', { headers: { 'x-forwarded-for': '198.51.100.20' } }],
    ['an isolated client', '/guard/check', { headers: { 'x-forwarded-for': '203.0.113.50' } }],
    ['an isolated client behind a chain of trusted proxies', '/guard/check', { headers: { 'x-forwarded-for': '203.0.113.50, 127.0.0.1' } }],
    ['an untrusted hop after the isolated client', '/guard/check?from=nginx', { headers: { 'x-forwarded-for': '203.0.113.50, 198.51.100.1' } }],
    ['an untrusted peer spoofing X-Forwarded-For', '/guard/check', { from: '127.0.0.3', headers: { 'x-forwarded-for': '203.0.113.50' } }],
    ['an isolated client by X-Real-IP', '/guard/check', { headers: { 'x-real-ip': '203.0.113.50' } }],
    ['an isolated client asked with HEAD', '/guard/check', { method: 'HEAD', headers: { 'x-forwarded-for': '203.0.113.50' } }],
    ['an isolated client asked with POST (nginx passes the method on)', '/guard/check', { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.50' } }],
    ['a check that closes its connection', '/guard/check', { headers: { 'x-forwarded-for': '203.0.113.50', connection: 'close' } }],
    ['a forwarded URI', '/guard/check', { headers: { 'x-forwarded-for': '198.51.100.21', 'x-forwarded-uri': '/login?next=/' } }],
  ];

  it.each(cases)('%s', async (_, path, options) => {
    for (const keepAlive of [true, false]) {
      const [worker, guard] = [await ask(t.port, path, { ...options, keepAlive }), await ask(guardPort, path, { ...options, keepAlive })];
      expect(guard).toEqual(worker);
      expect(guard.headers).toContain(keepAlive && !options?.headers?.connection ? 'Connection: keep-alive' : 'Connection: close');
    }
  });

  it('an HTTP/1.0 check, closed after its answer', async () => {
    const head = 'GET /guard/check HTTP/1.0\r\nX-Forwarded-For: 203.0.113.50\r\n\r\n';
    const [worker, guard] = [await ask10(t.port, head), await ask10(guardPort, head)];
    expect(guard).toEqual(worker);
    expect(guard).toContain('Connection: close');
  });

  it('a lockdown, and the allowlist through it', async () => {
    expect((await internalCall(t.port, '/internal/v1/defense/lockdown', { actor: 'user:admin', reason: 'equivalence' })).status).toBe(200);
    try {
      await waitFor(async () => (await guardCheck(guardPort, { headers: { 'x-forwarded-for': '198.51.100.2' } })).decision === 'lockdown', {
        what: 'the lockdown at the guard process',
      });
      for (const options of [{ headers: { 'x-forwarded-for': '198.51.100.2' } }, { headers: { 'x-forwarded-for': '192.0.2.77' } }, { from: '127.0.0.9' }]) {
        const [worker, guard] = [await ask(t.port, '/guard/check', options), await ask(guardPort, '/guard/check', options)];
        expect(guard).toEqual(worker);
      }
      expect((await ask(guardPort, '/guard/check', { headers: { 'x-forwarded-for': '198.51.100.2' } })).headers).toContain('x-vigil-decision: lockdown');
    } finally {
      expect((await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin', reason: 'done' })).status).toBe(200);
    }
  });

  it('/healthz and any other path as Node answered them on the guard port', async () => {
    const common = ['x-content-type-options: nosniff'];
    const json = 'content-type: application/json; charset=utf-8';
    // Asked without an agent, so with Connection: close.
    const closed = ['Connection: close'];
    expect(await ask(guardPort, '/healthz')).toEqual({
      status: 200,
      headers: [...common, 'cache-control: no-store', json, ...closed, 'Transfer-Encoding: chunked'],
    });
    expect(await ask(guardPort, '/healthz', { method: 'HEAD' })).toEqual({ status: 200, headers: [...common, 'cache-control: no-store', json, ...closed] });
    expect(await ask(guardPort, '/api/v1/isolations')).toEqual({ status: 404, headers: [...common, json, ...closed, 'Transfer-Encoding: chunked'] });
    expect(await ask(guardPort, '/healthz', { method: 'POST' })).toEqual({
      status: 404,
      headers: [...common, json, ...closed, 'Transfer-Encoding: chunked'],
    });
  });
});
