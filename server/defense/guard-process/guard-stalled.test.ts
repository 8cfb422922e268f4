import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_API_TOKEN, waitFor, type TestWorker } from '../../test-support';
import { startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';
import { MAX_UNWRITTEN_MESSAGES, type GuardChannelStatus } from './guard-channel';

const CONFIG = 'trustedProxies: ["127.0.0.1"]\n';
const RELEASED_MEANWHILE = '203.0.113.80';
const ISOLATED_MEANWHILE = '203.0.113.81';
/** Changes withheld before the test resumes the process: what an unbounded channel would have held on top of the bound. */
const WITHHELD_AT_LEAST = 10 * MAX_UNWRITTEN_MESSAGES;

/**
 * A guard process that stops reading its channel (SIGSTOP here; a stall looks the same to the
 * worker) holds the worker to a bounded backlog, and once it reads again it gets the whole
 * current state rather than what it missed.
 */
describe('the guard process stops reading (real worker, SIGSTOP)', () => {
  let t: TestWorker;
  let stopped: number | null = null;
  const isolate = (source: string) =>
    api(t.port, '/api/v1/isolations', { json: { source, duration: '1h', reason: 'stalled guard test' }, token: TEST_API_TOKEN });
  const release = (source: string) => api(t.port, `/api/v1/isolations/${source}`, { method: 'DELETE', token: TEST_API_TOKEN });
  const answerFor = async (source: string) => (await guardCheck(t.worker.guard!.port!, { headers: { 'x-forwarded-for': source } })).status;
  const guardHealth = async () => {
    const health = await api<{ guardProcess: GuardChannelStatus }>(t.port, '/healthz');
    expect(health.status).toBe(200);
    return health.body.guardProcess;
  };

  beforeAll(async () => {
    t = await startDefenseWorker({ yaml: CONFIG, vars: { VIGIL_GUARD_PORT: '0' } });
  });
  afterAll(async () => {
    if (stopped !== null) process.kill(stopped, 'SIGCONT');
    await t?.destroy();
  });

  it('withholds changes past the bound, then sends the whole state once it reads again', { timeout: 120_000 }, async () => {
    expect((await isolate(RELEASED_MEANWHILE)).status).toBe(201);
    await waitFor(async () => (await answerFor(RELEASED_MEANWHILE)) === 403 || null, { what: 'the isolation at the guard process' });
    const pid = t.worker.guard!.pid!;
    expect(await guardHealth()).toEqual({ unwrittenMessages: 0, behindSince: null, withheldMessages: 0, resyncs: 0 });

    process.kill(pid, 'SIGSTOP');
    stopped = pid;
    // Each isolation and release is a message of its own; the kernel's buffer takes the first ones, then the bound holds.
    let health = await guardHealth();
    let highest = 0;
    for (let i = 0; health.withheldMessages < WITHHELD_AT_LEAST; i++) {
      const source = `198.18.${i >> 8}.${i & 255}`;
      expect((await isolate(source)).status).toBe(201);
      expect((await release(source)).status).toBe(200);
      health = await guardHealth();
      expect(health.unwrittenMessages).toBeLessThanOrEqual(MAX_UNWRITTEN_MESSAGES);
      highest = Math.max(highest, health.unwrittenMessages);
    }
    expect(highest).toBe(MAX_UNWRITTEN_MESSAGES);
    expect((await release(RELEASED_MEANWHILE)).status).toBe(200);
    expect((await isolate(ISOLATED_MEANWHILE)).status).toBe(201);
    const behind = await guardHealth();
    expect(behind).toMatchObject({ unwrittenMessages: MAX_UNWRITTEN_MESSAGES, behindSince: expect.any(String), resyncs: 0 });
    expect(behind.withheldMessages).toBeGreaterThanOrEqual(WITHHELD_AT_LEAST + 2);

    process.kill(pid, 'SIGCONT');
    stopped = null;
    const caughtUp = await waitFor(
      async () => {
        const health = await guardHealth();
        return health.resyncs === 1 && health.unwrittenMessages === 0 ? health : null;
      },
      { what: 'the guard process to catch up' },
    );
    expect(caughtUp.behindSince).toBeNull();
    // The same process: it caught up, it was not replaced.
    expect(t.worker.guard!.pid).toBe(pid);
    // The state it got was read after the last change: it enforces that, not what it fell behind on.
    expect(await answerFor(ISOLATED_MEANWHILE)).toBe(403);
    expect(await answerFor(RELEASED_MEANWHILE)).toBe(204);
    const copy = await api<{ decisions: number }>(t.worker.guard!.port!, '/healthz');
    expect(copy.body.decisions).toBe(t.worker.defense.blocklist.size);

    // Caught up, it is fed change by change again.
    expect((await release(ISOLATED_MEANWHILE)).status).toBe(200);
    await waitFor(async () => (await answerFor(ISOLATED_MEANWHILE)) === 204 || null, { what: 'the release at the guard process' });
    expect((await guardHealth()).resyncs).toBe(1);
  });
});
