import { request } from 'node:http';

/**
 * One GET /guard/check from a chosen loopback address (127.0.0.2 … work on Linux), so a
 * test can be a proxy, a direct client or a spoofer without leaving the machine.
 */
export function guardCheck(
  port: number,
  { from = '127.0.0.1', headers = {}, path = '/guard/check' }: { from?: string; headers?: Record<string, string>; path?: string } = {},
): Promise<{ status: number; decision: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress: from, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, decision: (res.headers['x-vigil-decision'] as string | undefined) ?? null }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A plain GET from a chosen loopback address, for tests that go through a real proxy. */
export function getFrom(port: number, path: string, from: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress: from, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
