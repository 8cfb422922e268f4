import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHeader, readForwardedHeaders, type ForwardedHeaders } from './raw-headers';

const NAMES = ['x-forwarded-for', 'x-real-ip', 'x-forwarded-uri', 'x-original-uri', 'x-request-id'] as const;

/** What Node itself makes of the same request lines: the reference the raw readers must match. */
describe('headers read from rawHeaders equal what req.headers holds', () => {
  let port: number;
  let seen: (req: IncomingMessage) => void = () => undefined;
  const server = createServer((req, res) => {
    seen(req);
    res.writeHead(204).end();
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)).then(() => (port = (server.address() as AddressInfo).port)));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** Sends the header lines as written (repeats and odd cases included) and hands back the request Node parsed. */
  const send = (lines: string[]) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      seen = resolve;
      const socket = connect(port, '127.0.0.1', () => socket.end(`GET /guard/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${lines.join('\r\n')}\r\n\r\n`));
      socket.on('error', reject);
      socket.resume();
    });

  const cases: Array<[string, string[]]> = [
    ['none of them', ['User-Agent: t', 'Accept: */*']],
    [
      'each once, as proxies write them',
      ['X-Forwarded-For: 198.51.100.7', 'X-Real-IP: 198.51.100.7', 'X-Forwarded-Uri: /a?b=1', 'X-Original-URI: /a', 'X-Request-Id: abc-1'],
    ],
    ['lower and odd case', ['x-forwarded-for: 203.0.113.1', 'X-REAL-IP: 203.0.113.2', 'x-FORWARDED-uri: /p', 'x-request-id: r']],
    [
      'repeated lines',
      ['X-Forwarded-For: 203.0.113.1', 'X-Forwarded-For: 10.0.0.1, 10.0.0.2', 'X-Real-IP: 1.1.1.1', 'x-real-ip: 2.2.2.2', 'X-Request-Id: a', 'X-Request-Id: b'],
    ],
    [
      'names that only look alike',
      ['X-Forwarded-Fox: 1.2.3.4', 'X-Forwarded-For-Real: 5.6.7.8', 'Xx-Real-IP: 9.9.9.9', 'X_Real_IP: 1.1.1.1', 'X-Forwarded-Uri-: /q'],
    ],
    ['empty values', ['X-Forwarded-For:', 'X-Forwarded-Uri: ']],
  ];

  it.each(cases)('%s', async (_, lines) => {
    const req = await send(lines);
    const into: ForwardedHeaders = { forwardedFor: 'stale', realIp: 'stale', forwardedUri: 'stale', originalUri: 'stale' };
    const read = readForwardedHeaders(req.rawHeaders, into);
    expect(read).toEqual({
      forwardedFor: req.headers['x-forwarded-for'],
      realIp: req.headers['x-real-ip'],
      forwardedUri: req.headers['x-forwarded-uri'],
      originalUri: req.headers['x-original-uri'],
    });
    for (const name of NAMES) expect(rawHeader(req.rawHeaders, name)).toBe(req.headers[name]);
  });
});
