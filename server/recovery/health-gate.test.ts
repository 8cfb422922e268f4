import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { runHealthGate } from './health-gate';
import { resolveProgram, runHook } from './hooks';
import { RecoveryError } from './recovery-error';

const searchPath = '/usr/local/bin:/usr/bin:/bin';
let server: StubHttpServer;
let readyAt = 0;

beforeAll(async () => {
  server = await startStubHttpServer((request, res) => {
    if (request.path === '/ready') return void res.writeHead(Date.now() >= readyAt ? 200 : 503).end();
    res.writeHead(request.path === '/teapot' ? 418 : 200).end();
  });
});
afterAll(() => server.close());

describe('the post-restore health gate', () => {
  it('passes with no checks, and when every check passes', async () => {
    expect(await runHealthGate({ checks: [], timeoutMs: 100, searchPath })).toMatchObject({ ok: true, checks: [] });
    const gate = await runHealthGate({
      checks: [{ http: `${server.url}/` }, { tcp: `127.0.0.1:${server.port}` }, { command: ['true'] }, { http: `${server.url}/teapot`, expectStatus: 418 }],
      timeoutMs: 2000,
      searchPath,
    });
    expect(gate.checks.map((c) => c.message)).toEqual(['HTTP 200', 'connected', 'exit 0', 'HTTP 418']);
    expect(gate.ok).toBe(true);
  });

  it('retries until a restarted service answers, within its time', async () => {
    readyAt = Date.now() + 700;
    const gate = await runHealthGate({ checks: [{ http: `${server.url}/ready` }], timeoutMs: 5000, searchPath }, 100);
    expect(gate.ok).toBe(true);
    expect(gate.durationMs).toBeGreaterThanOrEqual(600);
  });

  it('fails with each failing check named once its time is up', async () => {
    const gate = await runHealthGate(
      { checks: [{ command: ['false'] }, { http: `${server.url}/teapot` }, { tcp: '127.0.0.1:1' }], timeoutMs: 300, searchPath },
      100,
    );
    expect(gate.ok).toBe(false);
    expect(gate.checks.map((c) => [c.check, c.ok, c.message.split(' ')[0]])).toEqual([
      ['false', false, 'exit'],
      [`GET ${server.url}/teapot`, false, 'HTTP'],
      ['tcp 127.0.0.1:1', false, 'connect'],
    ]);
  });
});

describe('hooks', () => {
  it('finds programs on PATH or by path, and refuses missing ones as a recovery error', async () => {
    expect(await resolveProgram('true', searchPath)).toMatch(/\/true$/);
    expect(await resolveProgram('/bin/true', searchPath)).toBe('/bin/true');
    await expect(resolveProgram('no-such-program-here', searchPath)).rejects.toBeInstanceOf(RecoveryError);
    await expect(runHook('stop', ['no-such-program-here'], 1000, searchPath)).rejects.toMatchObject({ code: 'hook_failed' });
    expect(await runHook('stop', undefined, 1000, searchPath)).toBeNull();
    expect(await runHook('stop', ['sh', '-c', 'echo stopping; exit 0'], 1000, searchPath)).toMatchObject({ code: 0, output: 'stopping' });
  });
});
