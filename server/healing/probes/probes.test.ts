import { execFileSync } from 'node:child_process';
import { createServer } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchema, type HttpModule } from '@/lib/healing/module-schema';
import { makeTempDir, type TempDir } from '../../test-support';
import { startStubHttpServer, type StubHttpServer } from '../../test-support/stub-http-server';
import { probeExternal } from './external-probe';
import { probeHttp } from './http-probe';
import { probeTcp } from './tcp-probe';
import { LogRing } from '../log-ring';

let tmp: TempDir;
let server: StubHttpServer;
const http = (over: Record<string, unknown>) =>
  moduleSchema.parse({ name: 'x', kind: 'http', url: `${server.url}/ok`, timeoutSeconds: 1, ...over }) as HttpModule;

beforeAll(async () => {
  tmp = makeTempDir();
  server = await startStubHttpServer((request, res) => {
    if (request.path === '/slow') return;
    if (request.path === '/json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"db":{"status":"degraded"}}');
    if (request.path === '/teapot') return void res.writeHead(418).end();
    res.writeHead(200).end('all systems go');
  });
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

describe('http probe', () => {
  it('checks status classes, body text and a JSON path', async () => {
    expect(await probeHttp(http({}))).toMatchObject({ ok: true, message: 'HTTP 200' });
    expect(await probeHttp(http({ url: `${server.url}/teapot` }))).toMatchObject({ ok: false, finding: { kind: 'http_status', evidence: { status: 418 } } });
    expect((await probeHttp(http({ url: `${server.url}/teapot`, expectStatus: [418] }))).ok).toBe(true);
    expect(await probeHttp(http({ bodyContains: 'systems down' }))).toMatchObject({ ok: false, finding: { kind: 'assertion_failed' } });
    expect(await probeHttp(http({ url: `${server.url}/json`, json: { path: 'db.status', equals: 'ok' } }))).toMatchObject({
      ok: false,
      message: 'db.status is "degraded", expected "ok"',
    });
    expect(await probeHttp(http({ url: `${server.url}/ok`, json: { path: 'a', equals: 1 } }))).toMatchObject({ ok: false, message: 'body is not JSON' });
  });

  it('names timeouts and refused connections', async () => {
    expect(await probeHttp(http({ url: `${server.url}/slow`, timeoutSeconds: 0.3 }))).toMatchObject({ ok: false, finding: { kind: 'timeout' } });
    expect(await probeHttp(http({ url: 'http://127.0.0.1:1/' }))).toMatchObject({ ok: false, finding: { kind: 'connection_refused' } });
  });

  it('warns about a certificate that expires soon', async () => {
    const key = tmp.join('key.pem');
    const cert = tmp.join('cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '5', '-subj', '/CN=127.0.0.1'], {
      stdio: 'ignore',
    });
    const tls = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const port = (tls.address() as AddressInfo).port;
    try {
      const url = `https://127.0.0.1:${port}/`;
      // Self-signed: refused unless the module says to ignore TLS errors.
      expect(await probeHttp(http({ url }))).toMatchObject({ ok: false, finding: { kind: 'probe_failed' } });
      const result = await probeHttp(http({ url, ignoreTlsErrors: true }));
      expect(result).toMatchObject({ ok: true, finding: { kind: 'tls_expiring', evidence: { daysLeft: 4 } } });
      expect(result.message).toMatch(/^HTTP 200; certificate expires in 4 days$/);
    } finally {
      tls.close();
    }
  });
});

describe('tcp and external probes', () => {
  it('connects or says why not', async () => {
    expect(await probeTcp({ host: '127.0.0.1', port: server.port, timeoutSeconds: 1 })).toMatchObject({ ok: true });
    expect(await probeTcp({ host: '127.0.0.1', port: 1, timeoutSeconds: 1 })).toMatchObject({ ok: false, finding: { kind: 'connection_refused' } });
  });

  it('finds a process by pid file or by name', async () => {
    const pidFile = tmp.join('app.pid');
    writeFileSync(pidFile, `${process.pid}\n`);
    expect(await probeExternal({ pidFile })).toMatchObject({ ok: true, message: `pid ${process.pid} running` });
    writeFileSync(pidFile, '999999999\n');
    expect(await probeExternal({ pidFile })).toMatchObject({ ok: false, finding: { kind: 'process_missing' } });
    writeFileSync(pidFile, 'garbage');
    expect((await probeExternal({ pidFile })).message).toMatch(/holds no pid/);
    expect((await probeExternal({ pidFile: tmp.join('none.pid') })).message).toMatch(/no pid file/);
    const comm = readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();
    expect((await probeExternal({ processName: comm })).ok).toBe(true);
    expect((await probeExternal({ processName: 'no-such-proc' })).ok).toBe(false);
  });
});

describe('LogRing', () => {
  it('keeps the last N whole lines, joins partial writes and cuts huge lines', () => {
    const ring = new LogRing(3);
    ring.write('stdout', 'one\ntw');
    ring.write('stdout', 'o\nthree\n');
    ring.write('stderr', `${'x'.repeat(10_000)}\n`);
    ring.note('restarted');
    expect(ring.tail().map((l) => [l.stream, l.text.length > 100 ? l.text.length : l.text])).toEqual([
      ['stdout', 'three'],
      ['stderr', 4096],
      ['vigil', 'restarted'],
    ]);
  });
});
