import { describe, expect, it } from 'vitest';
import { createLogger, isSensitiveKey, scrubCredentials } from './log';
import { spawnTs } from './test-support';

type Line = Record<string, unknown>;
type LogRecord = { fields: Record<string, unknown>; msg: string; child?: Record<string, unknown> };

/** The real logger, writing to an array instead of stdout. */
function logLines(records: LogRecord[], level = 'info'): { lines: Line[]; raw: string } {
  let raw = '';
  const log = createLogger('test', level, { write: (line: string) => void (raw += line) });
  for (const record of records) (record.child ? log.child(record.child) : log).info(record.fields, record.msg);
  return {
    raw,
    lines: raw
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line),
  };
}

const SECRETS = {
  password: 'hunter2-password',
  token: 'vgl_leaky_token_value',
  secret: 'the-shared-secret-value',
  authorization: 'Bearer abc.def.ghi',
  cookie: 'vigil_session=cookie-secret-value',
};

describe('createLogger', () => {
  it('censors credentials at the top level and one level down, and keeps the rest', () => {
    const { lines, raw } = logLines([
      { fields: { ...SECRETS, user: 'alice' }, msg: 'top level' },
      { fields: { body: { username: 'alice', password: SECRETS.password, token: SECRETS.token }, config: { secret: SECRETS.secret } }, msg: 'nested' },
      { fields: { headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie, 'user-agent': 'curl/8' } }, msg: 'headers' },
      { fields: { req: { method: 'POST', headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie } } }, msg: 'request' },
    ]);
    for (const value of Object.values(SECRETS)) expect(raw).not.toContain(value);

    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      msg: 'top level',
      user: 'alice',
      password: '[redacted]',
      token: '[redacted]',
      secret: '[redacted]',
      authorization: '[redacted]',
      cookie: '[redacted]',
    });
    expect(lines[1]).toMatchObject({ body: { username: 'alice', password: '[redacted]', token: '[redacted]' }, config: { secret: '[redacted]' } });
    expect(lines[2]).toMatchObject({ headers: { authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'curl/8' } });
    expect(lines[3]).toMatchObject({ req: { method: 'POST', headers: { authorization: '[redacted]', cookie: '[redacted]' } } });
  });

  it('censors at any depth, inside arrays, whatever the spelling of the key', () => {
    const channel = { name: 'ops-mail', kind: 'email', host: 'smtp.example.com', auth: { user: 'ops', password: 'smtp-password-value' } };
    const { lines, raw } = logLines([
      { fields: { config: { notifications: { channels: [channel] } } }, msg: 'deep' },
      { fields: { headers: { Authorization: 'Basic b3BzOnB3', 'Set-Cookie': ['a=set-cookie-value'], 'x-api-key': 'header-api-key-value' } }, msg: 'spellings' },
      {
        fields: {
          apiKey: 'api-key-value',
          api_key: 'api-key-value-2',
          DATABASE_URL: 'file:./var/vigil.db',
          databaseUrl: 'postgresql://vigil@db/vigil',
          smtpPassword: 'smtp-2',
          csrfToken: 'csrf-value',
          tokenHash: 'hash-value',
        },
        msg: 'names',
      },
    ]);
    for (const value of [
      'smtp-password-value',
      'b3BzOnB3',
      'set-cookie-value',
      'header-api-key-value',
      'api-key-value',
      'vigil.db',
      'db/vigil',
      'smtp-2',
      'csrf-value',
      'hash-value',
    ])
      expect(raw).not.toContain(value);
    expect(lines[0]).toMatchObject({
      config: { notifications: { channels: [{ name: 'ops-mail', host: 'smtp.example.com', auth: { user: 'ops', password: '[redacted]' } }] } },
    });
    expect(lines[1]).toMatchObject({ headers: { Authorization: '[redacted]', 'Set-Cookie': '[redacted]', 'x-api-key': '[redacted]' } });
  });

  it('scrubs credentials out of URLs in messages, fields and errors', () => {
    let raw = '';
    const log = createLogger('test', 'info', { write: (line: string) => void (raw += line) });
    const error = Object.assign(new Error('could not connect to postgresql://vigil:p%40ss@db.internal:5432/vigil'), {
      connectionString: 'postgresql://vigil:other@db/vigil',
    });
    log.error({ err: error }, 'database unreachable');
    log.error(new Error('getaddrinfo ENOTFOUND for postgres://admin:s3cr3t@db/x?sslmode=require'));
    log.warn({ target: 'https://hook:webhook-pass@hooks.example.com/x?token=query-token&page=2' }, 'webhook failed');
    for (const leaked of ['p%40ss', 'other', 's3cr3t', 'webhook-pass', 'query-token']) expect(raw).not.toContain(leaked);
    const [first, second, third] = raw
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line);
    expect(first).toMatchObject({
      msg: 'database unreachable',
      err: { type: 'Error', message: 'could not connect to postgresql://[redacted]@db.internal:5432/vigil', connectionString: '[redacted]' },
    });
    expect((first.err as { stack: string }).stack).toContain('postgresql://[redacted]@db.internal');
    expect(second.msg).toBe('getaddrinfo ENOTFOUND for postgres://[redacted]@db/x?sslmode=require');
    expect(third.target).toBe('https://[redacted]@hooks.example.com/x?token=[redacted]&page=2');
  });

  it('marks a cycle instead of following it', () => {
    const probe: Record<string, unknown> = { name: 'api', password: 'cyclic-password' };
    probe.self = probe;
    probe.peers = [probe, { name: 'db' }];
    const { lines, raw } = logLines([{ fields: { module: probe }, msg: 'cyclic' }]);
    expect(raw).not.toContain('cyclic-password');
    expect(lines[0]).toMatchObject({ module: { name: 'api', password: '[redacted]', self: '[Circular]', peers: ['[Circular]', { name: 'db' }] } });
  });

  it('censors fields bound to a child logger too', () => {
    const { lines, raw } = logLines([{ child: { token: SECRETS.token, module: 'ingest' }, fields: { password: SECRETS.password }, msg: 'child' }]);
    expect(raw).not.toContain(SECRETS.token);
    expect(raw).not.toContain(SECRETS.password);
    expect(lines[0]).toMatchObject({ module: 'ingest', token: '[redacted]', password: '[redacted]' });

    let grandchild = '';
    createLogger('test', 'info', { write: (line: string) => void (grandchild += line) })
      .child({ reqId: 'r-1' })
      .child({ auth: { apiKey: 'grandchild-api-key' } })
      .info('grandchild');
    expect(grandchild).not.toContain('grandchild-api-key');
    expect(JSON.parse(grandchild)).toMatchObject({ reqId: 'r-1', auth: { apiKey: '[redacted]' } });
  });

  it('carries a request id bound to a child logger on every line', () => {
    const { lines } = logLines([
      { child: { reqId: '7b0c7c1e-3c1b-4c55-9b0e-2a4f8f1d2e3a' }, fields: { status: 200 }, msg: 'one' },
      { child: { reqId: '7b0c7c1e-3c1b-4c55-9b0e-2a4f8f1d2e3a' }, fields: { err: 'boom' }, msg: 'two' },
    ]);
    expect(lines.map((line) => line.reqId)).toEqual(['7b0c7c1e-3c1b-4c55-9b0e-2a4f8f1d2e3a', '7b0c7c1e-3c1b-4c55-9b0e-2a4f8f1d2e3a']);
  });

  it('names the process on every line and honours the level', () => {
    const { lines } = logLines([{ fields: {}, msg: 'hello' }]);
    expect(lines[0]).toMatchObject({ name: 'test', process: 'test', level: 30, msg: 'hello' });
    expect(logLines([{ fields: {}, msg: 'quiet' }], 'warn').lines).toEqual([]);
  });

  it('writes JSON lines to stdout by default, censored', async () => {
    const child = spawnTs('server/test-support/log-process.ts', {
      args: [JSON.stringify({ name: 'worker', records: [{ fields: { reqId: 'r-1', password: SECRETS.password }, msg: 'hello' }] })],
    });
    const { code } = await child.exited;
    expect(code, child.stderr()).toBe(0);
    expect(child.stdout()).not.toContain(SECRETS.password);
    expect(JSON.parse(child.stdout())).toMatchObject({ process: 'worker', reqId: 'r-1', password: '[redacted]', msg: 'hello' });
  });
});

describe('isSensitiveKey and scrubCredentials', () => {
  it('tells credentials from ordinary fields', () => {
    for (const key of [
      'password',
      'PASSWORD',
      'pass',
      'secret',
      'clientSecret',
      'token',
      'accessToken',
      'tokens',
      'authorization',
      'proxy-authorization',
      'set-cookie',
      'apiKey',
      'X-Api-Key',
      'privateKey',
      'DATABASE_URL',
    ])
      expect(isSensitiveKey(key), key).toBe(true);
    for (const key of ['reqId', 'user', 'username', 'path', 'status', 'url', 'passed', 'bypass', 'tokenCount', 'key', 'module'])
      expect(isSensitiveKey(key), key).toBe(false);
  });

  it('keeps URLs without credentials as they are', () => {
    expect(scrubCredentials('http://127.0.0.1:3001/healthz and file:/var/vigil.db and user@example.com')).toBe(
      'http://127.0.0.1:3001/healthz and file:/var/vigil.db and user@example.com',
    );
    expect(scrubCredentials('postgresql://u:p@ss@db/x')).toBe('postgresql://[redacted]@db/x');
  });
});
