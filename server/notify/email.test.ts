import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support';
import { notification, notifierHarness, type NotifierHarness } from './notify-test-kit';

const PASSWORD = 'smtp-pa55word-never-logged';

interface ReceivedMail {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  secure: boolean;
  raw: string;
}

interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  authAttempts: number;
  close(): Promise<void>;
}

let smtp: TestSmtp | null = null;
let harness: NotifierHarness | null = null;
let certDir: TempDir;
let tls: { key: Buffer; cert: Buffer };

beforeAll(() => {
  // A throwaway self-signed certificate, so STARTTLS runs for real.
  certDir = makeTempDir('vigil-smtp-tls-');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      certDir.join('key.pem'),
      '-out',
      certDir.join('cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  tls = { key: readFileSync(certDir.join('key.pem')), cert: readFileSync(certDir.join('cert.pem')) };
});
afterAll(() => certDir.remove());

afterEach(async () => {
  await harness?.close();
  await smtp?.close();
  harness = null;
  smtp = null;
});

async function startSmtp(options: Partial<SMTPServerOptions> = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const state = { authAttempts: 0 };
  const server = new SMTPServer({
    logger: false,
    ...tls,
    onAuth(auth, _session, callback) {
      state.authAttempts += 1;
      if (auth.username === 'vigil' && auth.password === PASSWORD) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
        received.push({
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          secure: session.secure,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    get authAttempts() {
      return state.authAttempts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Enough of RFC 2045 for our own messages: undo soft line breaks and =XX escapes. */
const decodeQuotedPrintable = (text: string) =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw.replace(/\r\n[ \t]+/g, ' '))?.[1];

const channel = (port: number, over: Record<string, unknown> = {}) => ({
  name: 'mail',
  kind: 'email',
  host: '127.0.0.1',
  port,
  security: 'starttls',
  rejectUnauthorized: false,
  auth: { user: 'vigil', password: PASSWORD },
  from: 'vigil@example.org',
  to: ['ops@example.org', 'oncall@example.org'],
  retries: 0,
  timeoutSeconds: 5,
  ...over,
});

describe('e-mail over SMTP', () => {
  it('delivers over STARTTLS with auth: subject, recipients, text and HTML bodies', async () => {
    smtp = await startSmtp();
    harness = await notifierHarness([channel(smtp.port)]);
    harness.notifier.notify(notification('critical', { escalationLevel: 4, title: 'db <primary> down' }));
    const [event] = await harness.events();

    expect(event).toMatchObject({ type: 'notification.sent', method: 'email' });
    expect(event.details).toMatchObject({ channel: 'mail', target: `127.0.0.1:${smtp.port}`, recipients: ['ops@example.org', 'oncall@example.org'] });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({ from: 'vigil@example.org', to: ['ops@example.org', 'oncall@example.org'], user: 'vigil', secure: true });
    expect(header(mail.raw, 'Subject')).toBe('[Vigil] CRITICAL api: db <primary> down');
    expect(header(mail.raw, 'X-Vigil-Incident')).toBe('inc-42');
    const body = decodeQuotedPrintable(mail.raw);
    expect(body).toContain('Content-Type: text/plain');
    expect(body).toContain('api stopped answering; 5 restarts did not help');
    expect(body).toContain('Escalation level: 4 of 5');
    expect(body).toContain('Link: https://vigil.example/incidents/inc-42');
    expect(body).toContain('Content-Type: text/html');
    expect(body).toContain('db &#60;primary&#62; down');
    for (const text of [JSON.stringify(event), harness.logText()]) expect(text).not.toContain(PASSWORD);
  });

  it('sends without auth and without TLS to a local relay when told to', async () => {
    smtp = await startSmtp({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'] });
    harness = await notifierHarness([channel(smtp.port, { security: 'none', auth: undefined })]);
    harness.notifier.notify(notification('recovery', { state: 'resolved', resolvedAt: '2026-06-01T10:20:00.000Z' }));
    const [event] = await harness.events();
    expect(event.type).toBe('notification.sent');
    expect(smtp.received[0]).toMatchObject({ secure: false, user: undefined });
    expect(header(smtp.received[0].raw, 'Subject')).toBe('[Vigil] Resolved api: health check failing');
  });

  it('refuses to send the password in the clear when the server offers no STARTTLS', async () => {
    smtp = await startSmtp({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    harness = await notifierHarness([channel(smtp.port, { retries: 3 })]);
    harness.notifier.notify(notification());
    const [event] = await harness.events();
    expect(event.type).toBe('notification.failed');
    // A refused TLS upgrade fails the same way every time: no retries.
    expect(event.details).toMatchObject({ attempts: 1 });
    expect(event.reason).toMatch(/^ETLS .*STARTTLS/);
    expect(smtp.authAttempts).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('fails once on bad credentials, without leaking them', async () => {
    smtp = await startSmtp();
    const wrong = 'wrong-pa55word-also-secret';
    harness = await notifierHarness([channel(smtp.port, { retries: 3, auth: { user: 'vigil', password: wrong } })]);
    harness.notifier.notify(notification());
    const [event] = await harness.events();
    expect(event.type).toBe('notification.failed');
    expect(event.reason).toMatch(/^EAUTH/);
    expect(event.details).toMatchObject({ attempts: 1 });
    expect(smtp.authAttempts).toBe(1);
    for (const text of [JSON.stringify(event), harness.logText()]) expect(text).not.toContain(wrong);
  });

  it('rejects a self-signed certificate unless told otherwise', async () => {
    smtp = await startSmtp();
    harness = await notifierHarness([channel(smtp.port, { rejectUnauthorized: true })]);
    expect(await harness.notifier.test({ channel: 'mail', actor: 'alice' })).toEqual({
      code: 'failed',
      attempts: 1,
      error: 'ESOCKET: self-signed certificate',
    });
    // Queued deliveries do not retry it either: the certificate will not change by itself.
    harness.setChannels([channel(smtp.port, { rejectUnauthorized: true, retries: 3 })]);
    harness.notifier.notify(notification());
    const events = await harness.events();
    expect(events.map((e) => [e.type, e.details.attempts])).toEqual([
      ['notification.failed', 1],
      ['notification.failed', 1],
    ]);
    expect(smtp.received).toHaveLength(0);
  });
});
