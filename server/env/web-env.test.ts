import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support';
import { EnvError } from './env-error';
import { loadWebEnv } from './web-env';
import { loadWorkerEnv } from './worker-env';

describe('loadWebEnv', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir('vigil-web-env-');
  });
  afterEach(() => tmp.remove());

  const base = () => ({ VIGIL_DATA_DIR: tmp.join('data') });

  function envError(source: Record<string, string | undefined>): EnvError {
    let thrown: unknown = null;
    try {
      loadWebEnv(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    return thrown as EnvError;
  }

  it('fills in the documented defaults', () => {
    const dataDir = tmp.join('data');
    expect(loadWebEnv(base())).toMatchObject({
      dataDir,
      databaseUrl: `file:${path.join(dataDir, 'vigil.db')}`,
      databaseProvider: 'sqlite',
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      logLevel: 'info',
      sqliteBusyTimeoutMs: 500,
      port: 3000,
      workerPort: 3001,
      workerUrl: 'http://127.0.0.1:3001',
      workerPublicUrl: null,
      cookieSecure: 'auto',
      sessionPolicy: { absoluteMs: 7 * 86_400_000, idleMs: 12 * 3_600_000 },
      trustedProxies: ['127.0.0.0/8', '::1/128'],
    });
  });

  it('derives the worker URL from WORKER_PORT unless VIGIL_WORKER_URL is given', () => {
    expect(loadWebEnv({ ...base(), WORKER_PORT: '4100' })).toMatchObject({ workerPort: 4100, workerUrl: 'http://127.0.0.1:4100' });
    expect(loadWebEnv({ ...base(), WORKER_PORT: '4100', VIGIL_WORKER_URL: 'http://worker.internal:9000' })).toMatchObject({
      workerPort: 4100,
      workerUrl: 'http://worker.internal:9000',
    });
  });

  it('reads every variable it documents', () => {
    const env = loadWebEnv({
      ...base(),
      PORT: '8080',
      DATABASE_URL: 'postgresql://vigil:pw@db.internal:5432/vigil',
      VIGIL_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'warn',
      VIGIL_WORKER_PUBLIC_URL: 'https://vigil.example.com:3001',
      VIGIL_SESSION_IDLE_HOURS: '0.5',
      VIGIL_SESSION_MAX_DAYS: '2',
      VIGIL_SQLITE_BUSY_TIMEOUT_MS: '0',
    });
    expect(env).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://vigil:pw@db.internal:5432/vigil',
      databaseProvider: 'postgresql',
      secret: 's'.repeat(32),
      logLevel: 'warn',
      workerPublicUrl: 'https://vigil.example.com:3001',
      sessionPolicy: { absoluteMs: 2 * 86_400_000, idleMs: 1_800_000 },
      sqliteBusyTimeoutMs: 0,
    });
  });

  it.each([
    ['auto', 'auto'],
    ['true', 'always'],
    ['false', 'never'],
  ] as const)('maps VIGIL_COOKIE_SECURE=%s to %s', (value, expected) => {
    expect(loadWebEnv({ ...base(), VIGIL_COOKIE_SECURE: value }).cookieSecure).toBe(expected);
  });

  it('names VIGIL_COOKIE_SECURE for anything but auto/true/false', () => {
    const error = envError({ ...base(), VIGIL_COOKIE_SECURE: 'yes' });
    expect(error.message).toContain('VIGIL_COOKIE_SECURE:');
    expect(error.message).toContain('(got "yes")');
  });

  it.each(['abc', '0', '65536', '80.5', ''])('names PORT for PORT=%j', (value) => {
    const error = envError({ ...base(), PORT: value });
    expect(error.message).toMatch(/^invalid environment:\n {2}PORT: /);
    expect(error.message).toContain(`(got "${value}")`);
  });

  it('names each bad variable, once', () => {
    const error = envError({
      ...base(),
      PORT: 'x',
      WORKER_PORT: '0',
      VIGIL_WORKER_URL: 'not a url',
      VIGIL_SESSION_IDLE_HOURS: '-1',
      VIGIL_SESSION_MAX_DAYS: 'week',
      VIGIL_SQLITE_BUSY_TIMEOUT_MS: '-5',
    });
    const named = error.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(':')[0]);
    expect(named.sort()).toEqual([
      'PORT',
      'VIGIL_SESSION_IDLE_HOURS',
      'VIGIL_SESSION_MAX_DAYS',
      'VIGIL_SQLITE_BUSY_TIMEOUT_MS',
      'VIGIL_WORKER_URL',
      'WORKER_PORT',
    ]);
    expect(error.message).toContain('VIGIL_WORKER_URL: must be a URL such as http://127.0.0.1:3001');
  });

  it('reads VIGIL_TRUSTED_PROXIES as a comma-separated list of addresses and ranges', () => {
    expect(loadWebEnv({ ...base(), VIGIL_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.7 ,,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      'fd00::/8',
    ]);
  });

  it.each(['10.0.0.0/33', 'proxy.internal', '10.0.0.1, nonsense'])('names VIGIL_TRUSTED_PROXIES for %j', (value) => {
    const error = envError({ ...base(), VIGIL_TRUSTED_PROXIES: value });
    expect(error.message).toMatch(/ {2}VIGIL_TRUSTED_PROXIES: ".*" is not an IP address or CIDR range/);
  });

  it('reads the unattended administrator, and names a short VIGIL_ADMIN_PASSWORD without printing it', () => {
    expect(loadWebEnv(base()).bootstrapAdmin).toBeNull();
    expect(loadWebEnv({ ...base(), VIGIL_ADMIN_PASSWORD: 'a long admin password' }).bootstrapAdmin).toEqual({
      username: 'admin',
      password: 'a long admin password',
    });
    expect(loadWebEnv({ ...base(), VIGIL_ADMIN_USER: 'ops', VIGIL_ADMIN_PASSWORD: 'a long admin password' }).bootstrapAdmin?.username).toBe('ops');
    const error = envError({ ...base(), VIGIL_ADMIN_PASSWORD: 'hunter2' });
    expect(error.message).toContain('VIGIL_ADMIN_PASSWORD: must be at least 12 characters (value hidden)');
    expect(error.message).not.toContain('hunter2');
    expect(envError({ ...base(), VIGIL_ADMIN_USER: 'a b' }).message).toContain('VIGIL_ADMIN_USER');
  });

  it('names VIGIL_SECRET when it is short, without printing it', () => {
    const secret = 'short-but-secret-value-29chars';
    const error = envError({ ...base(), VIGIL_SECRET: secret });
    expect(error.message).toContain('VIGIL_SECRET: must be at least 32 characters (value hidden)');
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('short-but');
  });

  it('names DATABASE_URL for an unsupported database without printing its password', () => {
    for (const [url, shown] of [
      ['mysql://root:hunter2@db/vigil', 'mysql://root:***@db/vigil'],
      // libpq and node-postgres take an unencoded @ inside the password.
      ['mysql://root:p@ss@word@db/vigil', 'mysql://root:***@db/vigil'],
    ]) {
      const error = envError({ ...base(), DATABASE_URL: url });
      expect(error.message).toContain(`DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL) (got "${shown}")`);
      expect(error.message).not.toMatch(/hunter2|ss@word/);
    }
  });

  it('creates a secret file (0600) in the data directory and reuses it', () => {
    const first = loadWebEnv(base());
    const file = path.join(first.dataDir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${first.secret}\n`);
    expect(loadWebEnv(base()).secret).toBe(first.secret);
    // The worker reads the same file: both processes sign and check with one secret.
    expect(loadWorkerEnv(base()).secret).toBe(first.secret);
  });

  it('prefers VIGIL_SECRET and then writes no file', () => {
    const env = loadWebEnv({ ...base(), VIGIL_SECRET: 'v'.repeat(32) });
    expect(env.secret).toBe('v'.repeat(32));
    expect(() => statSync(path.join(env.dataDir, 'secret.key'))).toThrow(/ENOENT/);
  });
});
