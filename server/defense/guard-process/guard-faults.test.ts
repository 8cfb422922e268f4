import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  api,
  createEmptyDatabase,
  findFreePort,
  spawnTs,
  TEST_API_TOKEN,
  waitFor,
  waitForHttp,
  workerEnvVars,
  type EmptyDatabase,
  type RunningProcess,
  type TestWorker,
} from '../../test-support';
import { startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';

const CONFIG = 'trustedProxies: ["127.0.0.1"]\n';
const ISOLATED = '203.0.113.70';

const refused = (port: number) => guardCheck(port, { headers: { 'x-forwarded-for': ISOLATED } }).then((r) => r.status === 403);
/** Running, not just a zombie: an orphan's exit is reaped by whoever adopted it, maybe later. */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('the guard process dies', () => {
  let t: TestWorker;
  afterAll(async () => {
    await t?.destroy();
  });

  it('is restarted by the worker, enforces the state again, and the end is audited', async () => {
    t = await startDefenseWorker({ yaml: CONFIG, vars: { VIGIL_GUARD_PORT: '0' } });
    const guard = t.worker.guard!;
    const port = guard.port!;
    const isolated = await api(t.port, '/api/v1/isolations', { json: { source: ISOLATED, duration: '1h', reason: 'guard fault test' }, token: TEST_API_TOKEN });
    expect(isolated.status).toBe(201);
    await waitFor(() => refused(port), { what: 'the isolation at the guard process' });
    const first = guard.pid!;
    process.kill(first, 'SIGKILL');
    const second = await waitFor(() => (guard.port !== null && guard.pid !== first ? guard.pid : null), { what: 'a new guard process' });
    expect(alive(first)).toBe(false);
    // The same port, and the isolation in force from the restarted process's first answer.
    expect(guard.port).toBe(port);
    expect(await refused(port)).toBe(true);
    expect((await guardCheck(port, { headers: { 'x-forwarded-for': '203.0.113.71' } })).status).toBe(204);
    const exits = await waitFor(async () => {
      await t.worker.audit.flush();
      const page = await api<{ events: { details: { pid: number; signal: string } }[] }>(t.port, '/api/v1/audit?type=defense.guard_exited', {
        token: TEST_API_TOKEN,
      });
      return page.body.events.length > 0 ? page.body.events : null;
    });
    expect(exits[0].details).toMatchObject({ pid: first, signal: 'SIGKILL' });
    expect(second).not.toBe(first);
  });
});

describe('the worker dies (SIGKILL)', () => {
  let db: EmptyDatabase;
  const workers: RunningProcess[] = [];
  afterEach(async () => {
    for (const worker of workers) {
      worker.kill('SIGTERM');
      await worker.exited;
    }
    await db?.destroy();
  });

  async function startWorkerProcess(port: number, guardPort: number): Promise<{ running: RunningProcess; guardPid: number }> {
    const configFile = db.dir.join('vigil.config.yaml');
    writeFileSync(configFile, CONFIG);
    const running = spawnTs('server/main.ts', {
      env: workerEnvVars({
        dataDir: db.dir.join('data'),
        databaseUrl: db.url,
        vars: { VIGIL_CONFIG: configFile, WORKER_PORT: String(port), VIGIL_GUARD_PORT: String(guardPort), LOG_LEVEL: 'info' },
      }),
    });
    workers.push(running);
    await waitForHttp(port, { isAlive: () => running.child.exitCode === null });
    const line = await running.waitForOutput(/"guardPid":\d+,"port":\d+,"msg":"guard process listening"/, 30_000);
    return { running, guardPid: Number(/"guardPid":(\d+)/.exec(line)![1]) };
  }

  it('leaves no orphan: the guard process enforces the last state for a moment, then frees its port for the next worker', { timeout: 90_000 }, async () => {
    db = await createEmptyDatabase('sqlite');
    const [port, guardPort] = [await findFreePort(), await findFreePort()];
    const first = await startWorkerProcess(port, guardPort);
    expect((await api(port, '/api/v1/isolations', { json: { source: ISOLATED, duration: '1h', reason: 'orphan test' }, token: TEST_API_TOKEN })).status).toBe(
      201,
    );
    await waitFor(() => refused(guardPort), { what: 'the isolation at the guard process' });

    first.running.kill('SIGKILL');
    await first.running.exited;
    // Without its worker it still refuses what was isolated, and says it is orphaned.
    expect(await refused(guardPort)).toBe(true);
    expect((await api<{ status: string }>(guardPort, '/healthz')).body.status).toBe('orphaned');

    // The next worker starts at once; its guard process takes the port as soon as the orphan lets it go.
    const second = await startWorkerProcess(port, guardPort);
    expect(second.guardPid).not.toBe(first.guardPid);
    expect(alive(first.guardPid)).toBe(false);
    expect((await api<{ status: string }>(guardPort, '/healthz')).body.status).toBe('ok');
    // The new worker read the isolation from the database and its guard process enforces it.
    expect(await refused(guardPort)).toBe(true);
  });
});
