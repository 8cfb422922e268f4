import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError } from './env-error';
import { loadWorkerEnv } from './worker-env';
import { makeTempDir, type TempDir } from '../test-support';

describe('loadWorkerEnv', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir('vigil-env-');
  });
  afterEach(() => tmp.remove());

  const base = () => ({ VIGIL_DATA_DIR: tmp.join('data'), LOG_LEVEL: 'silent' });

  function envError(source: Record<string, string | undefined>): EnvError {
    try {
      loadWorkerEnv(source);
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      return error as EnvError;
    }
    throw new Error('loadWorkerEnv accepted a bad environment');
  }

  it('fills in the documented defaults', () => {
    const env = loadWorkerEnv({ VIGIL_DATA_DIR: tmp.join('data') });
    const dataDir = tmp.join('data');
    expect(env).toEqual({
      dataDir,
      databaseUrl: `file:${path.join(dataDir, 'vigil.db')}`,
      databaseProvider: 'sqlite',
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      logLevel: 'info',
      sqliteBusyTimeoutMs: 500,
      port: 3001,
      host: '0.0.0.0',
      guardListen: null,
      sampleIntervalMs: 5000,
      rawRetentionMs: 24 * 3_600_000,
      rollupRetentionMs: 30 * 86_400_000,
      alertRetentionMs: 90 * 86_400_000,
      statusPostRetentionMs: 365 * 86_400_000,
      hysteresis: 3,
      confirmSamples: 2,
      diskMounts: null,
      apiToken: null,
      integritySelf: true,
      auditKeyPath: path.join(dataDir, 'audit-signing.key'),
      auditCheckpointEvery: 1000,
      auditCheckpointMs: 600_000,
      auditRetentionMs: 0,
      configPath: path.resolve('vigil.config.yaml'),
      searchPath: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ha: false,
      nodeId: `${hostname().slice(0, 30)}-${process.pid}`,
      advertiseUrl: null,
      fleet: null,
      enrollmentsPerMinute: 30,
      fleetKeyPath: path.join(dataDir, 'fleet', 'console.key'),
    });
  });

  it('runs as an agent when VIGIL_CONSOLE_URL names a console, and refuses a URL with a path or a bad host name', () => {
    const base = { VIGIL_DATA_DIR: tmp.join('data') };
    const env = loadWorkerEnv({ ...base, VIGIL_CONSOLE_URL: 'https://console.example:3001/', VIGIL_ENROLLMENT_TOKEN: 'vfe_x', VIGIL_AGENT_NAME: 'web-1' });
    expect(env.fleet).toEqual({
      consoleUrl: 'https://console.example:3001',
      consoleUrls: ['https://console.example:3001'],
      enrollmentToken: 'vfe_x',
      agentName: 'web-1',
      heartbeatMs: 5000,
    });
    expect(() => loadWorkerEnv({ ...base, VIGIL_CONSOLE_URL: 'https://console.example/api' })).toThrow(/VIGIL_CONSOLE_URL/);
    const replicas = loadWorkerEnv({ ...base, VIGIL_CONSOLE_URL: 'https://c1.example:3001, https://c2.example:3001/' });
    expect(replicas.fleet).toMatchObject({ consoleUrl: 'https://c1.example:3001', consoleUrls: ['https://c1.example:3001', 'https://c2.example:3001'] });
    expect(() => loadWorkerEnv({ ...base, VIGIL_CONSOLE_URL: 'https://c1.example,https://c2.example/api' })).toThrow(/VIGIL_CONSOLE_URL/);
    expect(() => loadWorkerEnv({ ...base, VIGIL_CONSOLE_URL: 'https://console.example', VIGIL_AGENT_NAME: 'a b' })).toThrow(/VIGIL_AGENT_NAME/);
  });

  it('reads the audit variables and names a bad one', () => {
    const env = loadWorkerEnv({
      ...base(),
      VIGIL_AUDIT_KEY_PATH: tmp.join('keys', 'a.key'),
      VIGIL_AUDIT_CHECKPOINT_EVERY: '50',
      VIGIL_AUDIT_CHECKPOINT_MINUTES: '0.5',
      VIGIL_AUDIT_RETENTION_DAYS: '90',
    });
    expect(env).toMatchObject({
      auditKeyPath: tmp.join('keys', 'a.key'),
      auditCheckpointEvery: 50,
      auditCheckpointMs: 30_000,
      auditRetentionMs: 90 * 86_400_000,
    });
    expect(() => loadWorkerEnv({ ...base(), VIGIL_AUDIT_CHECKPOINT_EVERY: '0' })).toThrow(/VIGIL_AUDIT_CHECKPOINT_EVERY: must be at least 1/);
    expect(() => loadWorkerEnv({ ...base(), VIGIL_AUDIT_RETENTION_DAYS: 'soon' })).toThrow(/VIGIL_AUDIT_RETENTION_DAYS/);
  });

  it('reads every variable it documents', () => {
    const env = loadWorkerEnv({
      ...base(),
      WORKER_PORT: '4100',
      WORKER_HOST: '127.0.0.1',
      VIGIL_GUARD_PORT: '4101',
      VIGIL_GUARD_HOST: '::1',
      DATABASE_URL: 'postgresql://vigil:pw@db.internal:5432/vigil',
      VIGIL_SECRET: 's'.repeat(40),
      VIGIL_SAMPLE_INTERVAL_MS: '1000',
      VIGIL_RAW_RETENTION_HOURS: '2',
      VIGIL_ROLLUP_RETENTION_DAYS: '7',
      VIGIL_DEGRADATION_HYSTERESIS: '5',
      VIGIL_DEGRADATION_CONFIRM_SAMPLES: '4',
      VIGIL_DISK_MOUNTS: '/, /data ,,',
      VIGIL_API_TOKEN: 't'.repeat(30),
      VIGIL_INTEGRITY_SELF: 'false',
    });
    expect(env).toMatchObject({
      port: 4100,
      host: '127.0.0.1',
      guardListen: { host: '::1', port: 4101 },
      databaseProvider: 'postgresql',
      secret: 's'.repeat(40),
      sampleIntervalMs: 1000,
      rawRetentionMs: 7_200_000,
      rollupRetentionMs: 7 * 86_400_000,
      hysteresis: 5,
      confirmSamples: 4,
      diskMounts: ['/', '/data'],
      apiToken: 't'.repeat(30),
      logLevel: 'silent',
      integritySelf: false,
    });
  });

  it('runs as one replica of several only on PostgreSQL, with a node id and the URL others reach it at', () => {
    expect(envError({ ...base(), VIGIL_HA: 'true' }).message).toMatch(/VIGIL_HA: several workers need a shared PostgreSQL database/);
    const env = loadWorkerEnv({
      ...base(),
      VIGIL_HA: 'true',
      DATABASE_URL: 'postgresql://vigil@db/vigil',
      VIGIL_NODE_ID: 'worker-2',
      VIGIL_ADVERTISE_URL: 'http://10.0.0.2:3001/',
    });
    expect(env).toMatchObject({ ha: true, nodeId: 'worker-2', advertiseUrl: 'http://10.0.0.2:3001' });
    expect(loadWorkerEnv(base())).toMatchObject({ ha: false, advertiseUrl: null, nodeId: expect.stringMatching(/-\d+$/) });
    expect(envError({ ...base(), VIGIL_NODE_ID: 'has spaces' }).message).toMatch(/VIGIL_NODE_ID/);
  });

  it('names VIGIL_INTEGRITY_SELF when it is not a boolean', () => {
    expect(envError({ ...base(), VIGIL_INTEGRITY_SELF: 'maybe' }).message).toMatch(/VIGIL_INTEGRITY_SELF: must be true or false/);
  });

  it('names WORKER_PORT for a port that is not a number, with the value', () => {
    const error = envError({ ...base(), WORKER_PORT: 'abc' });
    expect(error.message).toMatch(/WORKER_PORT: must be a port number \(got "abc"\)/);
  });

  it.each(['0', '70000', '80.5'])('rejects WORKER_PORT=%s', (value) => {
    expect(envError({ ...base(), WORKER_PORT: value }).message).toContain('WORKER_PORT');
  });

  it.each(['0', '70000', 'guard'])('rejects VIGIL_GUARD_PORT=%s', (value) => {
    expect(envError({ ...base(), VIGIL_GUARD_PORT: value }).message).toContain('VIGIL_GUARD_PORT');
  });

  it('names DATABASE_URL for an unsupported database', () => {
    const error = envError({ ...base(), DATABASE_URL: 'mysql://x' });
    expect(error.message).toContain('DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL)');
  });

  it('names every bad variable at once, and hides secrets', () => {
    const error = envError({
      ...base(),
      WORKER_PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      VIGIL_SECRET: 'short',
      VIGIL_API_TOKEN: 'tiny',
      LOG_LEVEL: 'loud',
      VIGIL_SAMPLE_INTERVAL_MS: '100',
    });
    for (const name of ['WORKER_PORT', 'DATABASE_URL', 'VIGIL_SECRET', 'VIGIL_API_TOKEN', 'LOG_LEVEL', 'VIGIL_SAMPLE_INTERVAL_MS'])
      expect(error.message).toContain(`${name}:`);
    expect(error.message).toContain('VIGIL_SECRET: must be at least 32 characters (value hidden)');
    expect(error.message).toContain('(value hidden)');
    expect(error.message).not.toContain('"short"');
    expect(error.message).not.toContain('"tiny"');
    expect(error.message).toContain('VIGIL_SAMPLE_INTERVAL_MS: must be at least 250');
  });

  it('names VIGIL_DATA_DIR when the directory cannot be created (a path under a regular file)', () => {
    writeFileSync(tmp.join('file.txt'), 'not a directory');
    const error = envError({ VIGIL_DATA_DIR: tmp.join('file.txt', 'sub') });
    expect(error.message).toMatch(/^VIGIL_DATA_DIR: cannot write to .*file\.txt\/sub \(ENOTDIR\)/);
  });

  it('creates the data directory and a secret file (0600) that later starts reuse', () => {
    const first = loadWorkerEnv(base());
    const file = path.join(first.dataDir, 'secret.key');
    expect(statSync(first.dataDir).isDirectory()).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secret);
    expect(loadWorkerEnv(base()).secret).toBe(first.secret);
    // VIGIL_SECRET wins over the file
    expect(loadWorkerEnv({ ...base(), VIGIL_SECRET: 'x'.repeat(32) }).secret).toBe('x'.repeat(32));
  });

  it('names the whole environment when a problem has no single variable', () => {
    const result = z
      .object({ A: z.string() })
      .refine(() => false, 'inconsistent')
      .safeParse({ A: 'x' });
    expect(result.success).toBe(false);
    expect(EnvError.fromZod(result.error!, {}).message).toBe('invalid environment:\n  ?: inconsistent (not set)');
  });

  it('uses a secret file another process wrote', () => {
    mkdirSync(tmp.join('data'), { recursive: true });
    writeFileSync(tmp.join('data', 'secret.key'), 'shared-secret-from-the-web-process\n');
    expect(loadWorkerEnv(base()).secret).toBe('shared-secret-from-the-web-process');
  });
});
