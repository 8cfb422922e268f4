import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchema } from '@/lib/healing/module-schema';
import type { DnsModule, DockerModule, GrpcModule, PingModule, SmtpModule, TlsModule } from '@/lib/healing/monitor-kinds-schema';
import { makeTempDir, waitFor, type TempDir } from '../../test-support';
import { probeDns } from './dns-probe';
import { probeDocker } from './docker-probe';
import { healthCheckFrame, probeGrpc, servingStatusOf } from './grpc-probe';
import { parsePingSummary, probePing } from './ping-probe';
import { probeSmtp } from './smtp-probe';
import { probeTls } from './tls-probe';

const define = <T>(fields: Record<string, unknown>) => moduleSchema.parse({ name: 'm', timeoutSeconds: 2, ...fields }) as T;
const listen = async <S extends Server | Http2Server | ReturnType<typeof createTcpServer>>(server: S, at: string | number = 0): Promise<S> => {
  await new Promise<void>((resolve) => (typeof at === 'string' ? server.listen(at, resolve) : server.listen(at, '127.0.0.1', resolve)));
  return server;
};
const portOf = (server: { address(): unknown }) => (server.address() as AddressInfo).port;
const SEARCH_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

let tmp: TempDir;
beforeAll(() => {
  tmp = makeTempDir();
});
afterAll(() => tmp.remove());

describe('dns probe against dnsmasq on a loopback port', () => {
  let dnsmasq: ChildProcess;
  let resolver: string;
  beforeAll(async () => {
    const port = await listen(createTcpServer()).then(async (s) => {
      const p = portOf(s);
      await new Promise((resolve) => s.close(resolve));
      return p;
    });
    resolver = `127.0.0.1:${port}`;
    // Answers only from its command line: no upstream, no /etc/hosts, no config file.
    dnsmasq = spawn(
      '/usr/sbin/dnsmasq',
      [
        '--keep-in-foreground',
        '--conf-file=/dev/null',
        '--no-resolv',
        '--no-hosts',
        '--bind-interfaces',
        '--listen-address=127.0.0.1',
        `--port=${port}`,
        '--user=root',
        '--pid-file',
        '--address=/web.vigil.test/10.1.2.3',
        '--txt-record=web.vigil.test,owner=ops',
        '--mx-host=vigil.test,mail.vigil.test,10',
        '--address=/gone.vigil.test/',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(async () => (await probeDns(define<DnsModule>({ kind: 'dns', host: 'web.vigil.test', resolver }))).ok, { what: 'dnsmasq answering' });
  });
  afterAll(() => dnsmasq.kill());

  it('checks the answer of each record type', async () => {
    expect(await probeDns(define<DnsModule>({ kind: 'dns', host: 'web.vigil.test', resolver, expect: ['10.1.2.3'] }))).toMatchObject({
      ok: true,
      message: 'A 10.1.2.3',
      facts: { dnsRcode: 'NOERROR', ip: '10.1.2.3' },
    });
    expect(await probeDns(define<DnsModule>({ kind: 'dns', host: 'web.vigil.test', resolver, expect: ['10.9.9.9'] }))).toMatchObject({
      ok: false,
      message: 'A web.vigil.test is 10.1.2.3; expected 10.9.9.9',
    });
    expect((await probeDns(define<DnsModule>({ kind: 'dns', host: 'web.vigil.test', recordType: 'TXT', resolver, expect: ['owner=ops'] }))).ok).toBe(true);
    expect((await probeDns(define<DnsModule>({ kind: 'dns', host: 'vigil.test', recordType: 'MX', resolver, expect: ['mail.vigil.test'] }))).ok).toBe(true);
  });

  it('names NXDOMAIN, an empty answer and a silent resolver', async () => {
    expect(await probeDns(define<DnsModule>({ kind: 'dns', host: 'gone.vigil.test', resolver }))).toMatchObject({ ok: false, facts: { dnsRcode: 'NXDOMAIN' } });
    // No upstream: dnsmasq refuses what it does not know.
    expect(await probeDns(define<DnsModule>({ kind: 'dns', host: 'elsewhere.example', resolver }))).toMatchObject({
      ok: false,
      message: 'elsewhere.example A: REFUSED',
    });
    expect(await probeDns(define<DnsModule>({ kind: 'dns', host: 'web.vigil.test', recordType: 'AAAA', resolver }))).toMatchObject({ ok: false });
    const withConditions = define<DnsModule>({ kind: 'dns', host: 'web.vigil.test', resolver, conditions: ['[DNS_RCODE] == NOERROR'] });
    expect(withConditions.conditions).toHaveLength(1);
    const silent = await probeDns(define<DnsModule>({ kind: 'dns', host: 'web.vigil.test', resolver: '127.0.0.1:9', timeoutSeconds: 0.5 }));
    expect(silent.ok).toBe(false);
    expect(silent.finding?.kind).toMatch(/timeout|connection_refused/);
  });
});

describe('tls probe against certificates the test makes', () => {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const serve = async (cert: string, key: string) => listen(createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (_q, r) => r.end('ok')));
  let ca: string;
  let good: Server;
  let expired: Server;
  beforeAll(async () => {
    const f = (name: string) => tmp.join(name);
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '30', '-subj', '/CN=Vigil Test CA');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=localhost');
    const ext = f('san.ext');
    execFileSync('sh', ['-c', `printf 'subjectAltName=DNS:localhost' > ${ext}`]);
    openssl(
      'x509',
      '-req',
      '-in',
      f('leaf.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f('leaf.pem'),
      '-days',
      '10',
      '-extfile',
      ext,
    );
    // Expired: `openssl ca` is the one OpenSSL 3.0 command that takes dates in the past.
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('old.key'), '-out', f('old.csr'), '-subj', '/CN=localhost');
    execFileSync('sh', ['-c', `cd ${tmp.path} && mkdir -p issued && : > index.txt && echo 01 > serial`]);
    const cnf = '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=issued\nserial=serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n';
    execFileSync('sh', ['-c', `cd ${tmp.path} && printf '${cnf}' > ca.cnf`]);
    execFileSync(
      'openssl',
      [
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-selfsign',
        '-keyfile',
        'old.key',
        '-in',
        'old.csr',
        '-out',
        'old.pem',
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200102000000Z',
        '-notext',
      ],
      { cwd: tmp.path, stdio: 'ignore' },
    );
    ca = readFileSync(f('ca.pem'), 'utf8');
    good = await serve(f('leaf.pem'), f('leaf.key'));
    expired = await serve(f('old.pem'), f('old.key'));
  });
  afterAll(() => {
    good.close();
    expired.close();
  });

  it('counts the days left on a trusted chain and warns inside the limit', async () => {
    const result = await probeTls(define<TlsModule>({ kind: 'tls', host: '127.0.0.1', serverName: 'localhost', port: portOf(good), ca, expiryDays: 3 }));
    expect(result).toMatchObject({ ok: true, message: 'certificate valid 9 more days, chain of 2' });
    expect(result.facts?.certificateExpirationMs).toBeGreaterThan(9 * 86_400_000);
    const soon = await probeTls(define<TlsModule>({ kind: 'tls', host: '127.0.0.1', serverName: 'localhost', port: portOf(good), ca }));
    expect(soon).toMatchObject({ ok: true, finding: { kind: 'tls_expiring', evidence: { daysLeft: 9, chain: 2, issuer: 'Vigil Test CA' } } });
  });

  it('fails an untrusted chain, a wrong name and an expired certificate', async () => {
    expect((await probeTls(define<TlsModule>({ kind: 'tls', host: '127.0.0.1', serverName: 'localhost', port: portOf(good) }))).message).toMatch(
      /^certificate chain not trusted: [A-Z_]+/,
    );
    expect((await probeTls(define<TlsModule>({ kind: 'tls', host: '127.0.0.1', serverName: 'api.example', port: portOf(good), ca }))).message).toMatch(
      /^certificate does not name api.example/,
    );
    expect(await probeTls(define<TlsModule>({ kind: 'tls', host: '127.0.0.1', port: portOf(expired) }))).toMatchObject({
      ok: false,
      message: 'certificate expired on 2020-01-02',
    });
    expect((await probeTls(define<TlsModule>({ kind: 'tls', host: '127.0.0.1', port: 1 }))).finding?.kind).toBe('connection_refused');
  });
});

describe('smtp, grpc and docker probes against local servers', () => {
  it('reads a multi-line SMTP greeting and refuses a 554', async () => {
    let greeting = '220-mail.vigil.test ESMTP\r\n220 ready\r\n';
    const server = await listen(createTcpServer((socket) => socket.end(greeting)));
    const smtp = define<SmtpModule>({ kind: 'smtp', host: '127.0.0.1', port: portOf(server) });
    expect(await probeSmtp(smtp)).toMatchObject({ ok: true, message: '220 mail.vigil.test ESMTP ready', facts: { status: 220 } });
    greeting = '554 no service\r\n';
    expect(await probeSmtp(smtp)).toMatchObject({ ok: false, message: 'greeting 554 no service', finding: { evidence: { status: 554 } } });
    server.close();
  });

  it('asks grpc.health.v1 over HTTP/2 and reads the serving status', async () => {
    const statuses: Record<string, number> = { '': 1, api: 2 };
    const server = await listen(
      createHttp2Server((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const frame = Buffer.concat(chunks);
          const service = frame.length > 7 ? frame.subarray(7).toString() : '';
          if (!(service in statuses))
            return void response.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'unknown service' }).end();
          response.addTrailers({ 'grpc-status': '0' });
          const answer = Buffer.from([0, 0, 0, 0, 2, 0x08, statuses[service]]);
          response.writeHead(200, { 'content-type': 'application/grpc' }).end(answer);
        });
      }),
    );
    const url = `http://127.0.0.1:${portOf(server)}`;
    expect(await probeGrpc(define<GrpcModule>({ kind: 'grpc', url }))).toMatchObject({ ok: true, facts: { body: 'SERVING' } });
    expect(await probeGrpc(define<GrpcModule>({ kind: 'grpc', url, service: 'api' }))).toMatchObject({ ok: false, message: 'health NOT_SERVING' });
    expect(await probeGrpc(define<GrpcModule>({ kind: 'grpc', url, service: 'other' }))).toMatchObject({
      ok: false,
      message: 'gRPC status 5: unknown service',
    });
    expect((await probeGrpc(define<GrpcModule>({ kind: 'grpc', url: 'http://127.0.0.1:1' }))).finding?.kind).toBe('connection_refused');
    server.close();
    expect(healthCheckFrame('api')).toEqual(Buffer.from([0, 0, 0, 0, 5, 0x0a, 3, 0x61, 0x70, 0x69]));
    expect(servingStatusOf(Buffer.from([0, 0, 0, 0, 0]))).toBe(0);
  });

  it('reads container state and health through an Engine API socket', async () => {
    const containers: Record<string, unknown> = {
      web: { State: { Status: 'running', Running: true, Health: { Status: 'healthy' } } },
      sick: { State: { Status: 'running', Running: true, Health: { Status: 'unhealthy' } } },
      gone: { State: { Status: 'exited', Running: false, ExitCode: 137 } },
    };
    const socket = tmp.join('docker.sock');
    const server = await listen(
      createHttpServer((request, response) => {
        const name = /^\/containers\/([^/]+)\/json$/.exec(request.url ?? '')?.[1] ?? '';
        if (!containers[name]) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such container"}');
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(containers[name]));
      }),
      socket,
    );
    const docker = (container: string) => probeDocker(define<DockerModule>({ kind: 'docker', container, socket }));
    expect(await docker('web')).toMatchObject({ ok: true, message: 'running, healthy' });
    expect(await docker('sick')).toMatchObject({ ok: false, message: 'container running but unhealthy' });
    expect(await docker('gone')).toMatchObject({ ok: false, message: 'container exited (exit 137)', finding: { kind: 'process_exited' } });
    expect(await docker('none')).toMatchObject({ ok: false, finding: { kind: 'process_missing' } });
    server.close();
    expect((await probeDocker(define<DockerModule>({ kind: 'docker', container: 'web', socket: tmp.join('absent.sock') }))).message).toMatch(
      /^no Docker socket at/,
    );
  });
});

describe('ping probe', () => {
  it('sends echoes to loopback and reads loss and latency', async () => {
    const result = await probePing(define<PingModule>({ kind: 'ping', host: '127.0.0.1', count: 2, timeoutSeconds: 5 }), SEARCH_PATH);
    expect(result).toMatchObject({ ok: true, facts: { packetLossPercent: 0, connected: true } });
    expect(result.message).toMatch(/^2\/2 replies, 0 % loss, avg [\d.]+ ms$/);
    expect((await probePing(define<PingModule>({ kind: 'ping', host: '127.0.0.1' }), '/nonexistent')).message).toMatch(/ping is not installed/);
  });

  it('parses iputils summaries', () => {
    expect(parsePingSummary('3 packets transmitted, 1 received, 66.6667% packet loss\nrtt min/avg/max/mdev = 0.1/0.25/0.4/0.1 ms')).toEqual({
      sent: 3,
      received: 1,
      averageMs: 0.25,
    });
    expect(parsePingSummary('2 packets transmitted, 0 received, 100% packet loss')).toEqual({ sent: 2, received: 0, averageMs: null });
    expect(parsePingSummary('ping: socket: Operation not permitted')).toBeNull();
  });
});
