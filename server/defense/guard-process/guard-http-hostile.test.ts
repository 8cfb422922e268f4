import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_API_TOKEN, waitFor, type TestWorker } from '../../test-support';
import { GUARD_TEST_CONFIG, startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';
import { forkGuard, type ForkedGuard } from '../../test-support/guard-process';

/**
 * The guard process's port attacked with hostile bytes: no smuggled header or odd target may turn a
 * refusal into a pass (at the guard process nor at the worker's own route, asked the same bytes),
 * and no client may crash the process or hold it. The test's loopback address is a trusted proxy.
 */
const HEADERS_TIMEOUT_MS = 1000;
const ALLOWED = '192.0.2.77';

/** Sends `bytes` then half-closes: the statuses of every answer until the server closes. */
function statuses(bytes: string | Buffer, port: number): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text.match(/^HTTP\/1\.1 \d+/gm) ?? []));
  });
}

const check = (headers: string, target = '/guard/check', version = '1.1') => `GET ${target} HTTP/${version}\r\nHost: g\r\n${headers}\r\n`;

describe('the guard process and the worker’s route refusing what is smuggled past them', () => {
  const ISOLATED = '203.0.113.50';
  let t: TestWorker;
  let guardPort: number;
  beforeAll(async () => {
    t = await startDefenseWorker({ yaml: GUARD_TEST_CONFIG, vars: { VIGIL_GUARD_PORT: '0' } });
    guardPort = t.worker.guard!.port!;
    const isolated = await api(t.port, '/api/v1/isolations', { json: { source: ISOLATED, duration: '1h', reason: 'hostile bytes' }, token: TEST_API_TOKEN });
    expect(isolated.status).toBe(201);
    await waitFor(async () => (await guardCheck(guardPort, { headers: { 'x-forwarded-for': ISOLATED } })).status === 403, {
      what: 'the isolation at the guard process',
    });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  const forwarded = `X-Forwarded-For: ${ISOLATED}\r\n`;
  const cases: Array<[string, string | Buffer, string]> = [
    // Node's http drops the headers after its 2000th from rawHeaders: the worker saw no X-Forwarded-For.
    ['the isolated client behind 4000 empty headers under the head limit', check('a:\r\n'.repeat(4000) + forwarded), 'HTTP/1.1 403'],
    [
      'the isolated client last of two X-Forwarded-For lines in odd case',
      check(`x-forwarded-for: 198.51.100.20\r\nX-FORWARDED-FOR: ${ISOLATED}\r\n`),
      'HTTP/1.1 403',
    ],
    ['the isolated client padded with spaces and tabs', check(`X-Forwarded-For: \t ${ISOLATED} \t\r\n`), 'HTTP/1.1 403'],
    ['a query string', check(forwarded, '/guard/check?x-forwarded-for=198.51.100.20'), 'HTTP/1.1 403'],
    ['HTTP/1.0 without Host', check(forwarded, '/guard/check', '1.0').replace('Host: g\r\n', ''), 'HTTP/1.1 403'],
    ['an absolute-form target', check(forwarded, 'http://g/guard/check'), 'HTTP/1.1 404'],
    ['a dot-segment target', check(forwarded, '/guard/check/../healthz'), 'HTTP/1.1 404'],
    ['a double-slash target', check(forwarded, '//guard/check'), 'HTTP/1.1 404'],
    ['an encoded slash', check(forwarded, '/guard%2Fcheck'), 'HTTP/1.1 404'],
    ['a request line of spaces only', ' '.repeat(20) + '\r\n\r\n', 'HTTP/1.1 400'],
    ['an empty method', ` /guard/check HTTP/1.1\r\nHost: g\r\n${forwarded}\r\n`, 'HTTP/1.1 400'],
  ];
  it.each(cases)('%s', async (_, bytes, expected) => {
    expect({ worker: await statuses(bytes, t.port), guard: await statuses(bytes, guardPort) }).toEqual({ worker: [expected], guard: [expected] });
  });
});

describe('the guard process bounding hostile connections', () => {
  // Started on its own, with a headers timeout a test can reach in seconds.
  let guard: ForkedGuard;
  beforeAll(async () => {
    guard = await forkGuard({ limits: { headersTimeoutMs: HEADERS_TIMEOUT_MS, maxConnections: 50 }, state: { mode: 'LOCKDOWN', allowlist: [ALLOWED] } });
  });
  afterAll(() => guard.stop());

  it('answers every request of a batch sent with a half-close, beyond what its write buffer holds', async () => {
    const total = 5000;
    const answers = await statuses(check(`X-Forwarded-For: ${ALLOWED}\r\n`).repeat(total), guard.port);
    expect(answers).toHaveLength(total);
    expect(answers.every((status) => status === 'HTTP/1.1 204')).toBe(true);
  });

  it('keeps answering others after a client resets with answers unread', async () => {
    const socket = connect({ host: '127.0.0.1', port: guard.port });
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    const batch = check('').repeat(20_000);
    // Reset once the whole batch has left: the server is then answering it into a closed socket.
    await new Promise<void>((resolve) => socket.write(batch, () => resolve()));
    socket.resetAndDestroy();
    expect(await statuses(check(`X-Forwarded-For: ${ALLOWED}\r\n`), guard.port)).toEqual(['HTTP/1.1 204']);
  });

  /** Sends an empty line every tenth of the headers timeout until the server closes: what it sent. */
  async function blankLinesUntilClosed(port: number): Promise<string> {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let closed = false;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    await new Promise((resolve) => socket.once('connect', resolve));
    // Bounded: a server that never cuts it is seen still open after five times its limit.
    for (let i = 0; i < 50 && !closed; i++) {
      socket.write('\r\n');
      await new Promise((resolve) => setTimeout(resolve, HEADERS_TIMEOUT_MS / 10));
    }
    socket.destroy();
    return closed ? text : 'still open';
  }

  it('cuts a client that sends only empty lines at its headers timeout, as Node does', async () => {
    const node = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: 2 * HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 100 }, (_, res) =>
      res.end(),
    );
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    try {
      const timeout = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';
      expect(await blankLinesUntilClosed((node.address() as { port: number }).port)).toBe(timeout);
      expect(await blankLinesUntilClosed(guard.port)).toBe(timeout);
    } finally {
      node.closeAllConnections();
      node.close();
    }
  });
});
