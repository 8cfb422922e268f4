import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../worker';
import { listIncidents } from '../queries/incidents';
import {
  createEmptyDatabase,
  findFreePort,
  FixedSampler,
  PROVIDERS,
  silentLogger,
  spawnTs,
  waitFor,
  waitForHttp,
  workerEnvFor,
  workerEnvVars,
  type EmptyDatabase,
  type RunningProcess,
} from '../test-support';
import { readProcStat } from './process-group';

/** A tiny HTTP service that answers with its pid; `exclusive` so a second one on the port fails like a real service would. */
const SERVICE = `
const port = Number(process.env.SERVICE_PORT);
require('http').createServer((req, res) => res.end(String(process.pid))).listen({ port, host: '127.0.0.1', exclusive: true }, () => console.log('listening on ' + port));
`;

const alive = (pid: number) => {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z';
};

async function servedBy(port: number): Promise<number | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return Number(await response.text());
  } catch {
    return null;
  }
}

describe.each(PROVIDERS)('a worker killed with SIGKILL (%s)', (provider) => {
  let db: EmptyDatabase | null = null;
  let first: RunningProcess | null = null;
  let second: Worker | null = null;
  const strays: number[] = [];

  afterEach(async () => {
    first?.kill('SIGKILL');
    await first?.exited;
    await second?.close();
    for (const pid of strays) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await db?.destroy();
    first = null;
    second = null;
    db = null;
    strays.length = 0;
  });

  it('leaves no orphan behind: the next worker stops it, respawns the module within 5 s and says what happened', { timeout: 60_000 }, async () => {
    db = await createEmptyDatabase(provider);
    const dataDir = db.dir.join('data');
    const servicePort = await findFreePort();
    const workerPort = await findFreePort();
    writeFileSync(db.dir.join('service.js'), SERVICE);
    const configFile = db.dir.join('vigil.config.yaml');
    writeFileSync(
      configFile,
      [
        'modules:',
        `  - name: web`,
        `    kind: process`,
        `    command: ["${process.execPath}", "${db.dir.join('service.js')}"]`,
        `    env: { SERVICE_PORT: "${servicePort}" }`,
        `    readyUrl: http://127.0.0.1:${servicePort}/`,
        '    intervalSeconds: 1',
      ].join('\n'),
    );
    const vars = { VIGIL_CONFIG: configFile, WORKER_PORT: String(workerPort), LOG_LEVEL: 'warn' };
    const running = spawnTs('server/main.ts', { env: workerEnvVars({ dataDir, databaseUrl: db.url, vars }) });
    first = running;
    await waitForHttp(workerPort, { isAlive: () => running.child.exitCode === null && running.child.signalCode === null });
    const orphan = await waitFor(() => servedBy(servicePort), { timeoutMs: 15_000, what: 'the supervised service to answer' });
    strays.push(orphan);

    running.kill('SIGKILL');
    await running.exited;
    // What this is about: the service outlives its worker, keeps its port and answers.
    expect(alive(orphan)).toBe(true);
    expect(await servedBy(servicePort)).toBe(orphan);

    second = await startWorker({
      env: { ...workerEnvFor({ dataDir, databaseUrl: db.url, vars: { VIGIL_CONFIG: configFile } }) },
      sampler: new FixedSampler(),
      log: silentLogger(),
    });
    const respawned = await waitFor(
      async () => {
        const pid = await servedBy(servicePort);
        return pid !== null && pid !== orphan ? pid : null;
      },
      { timeoutMs: 15_000, what: 'the module to serve again from a new process' },
    );
    strays.push(respawned);
    expect(alive(orphan)).toBe(false);
    const runtime = second.healing.engine.runtime('web')!;
    expect(runtime.supervisor!.pid).toBe(respawned);
    await waitFor(() => runtime.state === 'up', { timeoutMs: 5000, what: 'web to be up' });
    const logs = runtime
      .supervisor!.logs.tail()
      .map((line) => line.text)
      .join('\n');
    expect(logs).toContain(`listening on ${servicePort}`);
    expect(logs).not.toMatch(/EADDRINUSE/);
    expect(runtime.restartAttempts).toBe(0);

    const incident = await waitFor(async () => (await listIncidents(second!.database.prisma, { module: 'web' })).find((i) => i.state === 'resolved'), {
      timeoutMs: 5000,
      what: 'the incident to be resolved',
    });
    expect(incident).toMatchObject({ rootCause: 'supervisor_lost', failureClass: 'transient' });
    expect(incident.rootCause).not.toBe('code_bug');
    expect(incident.title).toMatch(/the worker supervising it \(pid \d+\) died; its process \(pid \d+\) ran on unsupervised and was stopped \(SIGTERM\)/);
  });
});
