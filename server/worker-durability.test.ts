import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyStoredChain } from './audit';
import { sqlitePathOf } from './db/database-url';
import { startWorker, type Worker } from './worker';
import {
  createEmptyDatabase,
  findFreePort,
  FixedSampler,
  POSTGRES_ADMIN_URL,
  PROVIDERS,
  queryPostgres,
  readWholeChain,
  silentLogger,
  spawnTs,
  TEST_API_TOKEN,
  waitForHttp,
  workerEnvFor,
  workerEnvVars,
  type EmptyDatabase,
  type RunningProcess,
} from './test-support';

interface Receipt {
  status: 'committed' | 'spooled';
  eventId: string;
  seq?: number;
}

interface Burst {
  acknowledged: Receipt[];
  requestsAcknowledged: number;
  requestsCut: number;
  /** Requests that failed in transport before the kill; never acknowledged, so the client just sends the next one. */
  transportErrors: number;
}

const CLIENTS = 40;
const EVENTS_PER_REQUEST = 50;

/** CLIENTS concurrent clients posting batches back to back until the worker dies; every receipt of every 202 is kept. */
function startBurst(port: number, onResponse: (burst: Burst) => void = () => undefined): { burst: Burst; finished: Promise<void>; workerKilled(): void } {
  const burst: Burst = { acknowledged: [], requestsAcknowledged: 0, requestsCut: 0, transportErrors: 0 };
  let killed = false;
  const client = async (id: number) => {
    for (let batch = 0; !killed; batch++) {
      const events = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
        type: 'custom',
        name: 'burst',
        source: `client-${id}`,
        details: { client: id, batch, i },
      }));
      let status: number;
      let body: { events: Receipt[] };
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        status = response.status;
        body = (await response.json()) as { events: Receipt[] };
      } catch {
        if (!killed) {
          burst.transportErrors += 1;
          continue;
        }
        burst.requestsCut += 1;
        return;
      }
      // Anything but a 202 is the worker failing under load, not the kill.
      expect(status, JSON.stringify(body)).toBe(202);
      burst.acknowledged.push(...body.events);
      burst.requestsAcknowledged += 1;
      onResponse(burst);
    }
  };
  const finished = Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id))).then(() => undefined);
  finished.catch(() => undefined); // awaited later; not unhandled meanwhile
  return { burst, finished, workerKilled: () => (killed = true) };
}

/** Waits for `moment`, failing at once if the burst broke down first. */
async function until(moment: Promise<void>, load: { finished: Promise<void> }): Promise<void> {
  await Promise.race([moment, load.finished.then(() => Promise.reject(new Error('the burst ended before the kill')))]);
}

/**
 * The promise behind every 202: an event the worker acknowledged survives a SIGKILL at
 * any moment, committed or spooled, and is in the chain exactly once afterwards.
 */
describe.each(PROVIDERS)('SIGKILL during an ingest burst (%s)', (provider) => {
  let db: EmptyDatabase | null = null;
  let proc: RunningProcess | null = null;
  let restarted: Worker | null = null;
  let restoreDatabase: (() => Promise<void>) | null = null;

  afterEach(async () => {
    proc?.kill('SIGKILL');
    await proc?.exited;
    await restoreDatabase?.();
    await restarted?.close();
    await db?.destroy();
    proc = null;
    restarted = null;
    restoreDatabase = null;
    db = null;
  });

  async function spawnWorker(): Promise<{ port: number; dataDir: string; running: RunningProcess }> {
    db = await createEmptyDatabase(provider);
    const dataDir = db.dir.join('data');
    const port = await findFreePort();
    const running = spawnTs('server/main.ts', { env: workerEnvVars({ dataDir, databaseUrl: db.url, vars: { WORKER_PORT: String(port), LOG_LEVEL: 'warn' } }) });
    proc = running;
    await waitForHttp(port, { isAlive: () => running.child.exitCode === null && running.child.signalCode === null }).catch((error: Error) => {
      throw new Error(`${error.message}; stderr: ${running.stderr()}`);
    });
    return { port, dataDir, running };
  }

  async function killAndCheck(running: RunningProcess, load: ReturnType<typeof startBurst>, dataDir: string): Promise<void> {
    load.workerKilled();
    running.kill('SIGKILL');
    expect((await running.exited).signal).toBe('SIGKILL');
    await load.finished;
    const { burst } = load;
    // The kill really landed mid-burst: work had been acknowledged, and requests were cut off.
    expect(burst.requestsAcknowledged).toBeGreaterThan(CLIENTS);
    expect(burst.requestsCut).toBeGreaterThan(0);
    expect(burst.acknowledged.length).toBe(burst.requestsAcknowledged * EVENTS_PER_REQUEST);
    await restoreDatabase?.();
    restoreDatabase = null;

    // A new worker on the same data dir and database drains whatever the dead one spooled.
    restarted = await startWorker({ env: workerEnvFor({ dataDir, databaseUrl: db!.url }), sampler: new FixedSampler(), log: silentLogger() });
    expect(restarted.audit.status()).toMatchObject({ ok: true, pendingEvents: 0 });

    const chain = await readWholeChain(restarted.database);
    const bySeq = new Map(chain.map((e) => [e.seq, e.eventId]));
    const count = new Map<string, number>();
    for (const e of chain) count.set(e.eventId, (count.get(e.eventId) ?? 0) + 1);
    const lost = burst.acknowledged.filter((r) => count.get(r.eventId) !== 1);
    expect(lost, `${lost.length} acknowledged events missing or duplicated`).toEqual([]);
    for (const r of burst.acknowledged) if (r.status === 'committed') expect(bySeq.get(r.seq!)).toBe(r.eventId);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: chain.length }, (_, i) => i + 1));
    expect(await verifyStoredChain(restarted.database.prisma)).toMatchObject({ ok: true, verified: chain.length });
    expect(chain.at(-1)!.type).toBe('worker.started');
  }

  it('with the database up: loses no acknowledged event and leaves a verifiable chain', { timeout: 60_000 }, async () => {
    const { port, dataDir, running } = await spawnWorker();
    // Kill after about a second, once the burst is in full swing (a slow start must not turn this into a no-op).
    const startedAt = Date.now();
    let inFullSwing: () => void = () => undefined;
    const killTime = new Promise<void>((resolve) => (inFullSwing = resolve));
    const load = startBurst(port, (burst) => {
      if (Date.now() - startedAt >= 1000 && burst.requestsAcknowledged >= 2 * CLIENTS) inFullSwing();
    });
    await until(killTime, load);
    await killAndCheck(running, load, dataDir);
    expect(load.burst.transportErrors).toBe(0);
  });

  it('with the database gone mid-burst: spooled events survive the kill too', { timeout: 60_000 }, async () => {
    const { port, dataDir, running } = await spawnWorker();
    let outage: Promise<void> | null = null;
    let killAt: () => void = () => undefined;
    const enoughSpooled = new Promise<void>((resolve) => (killAt = resolve));
    const load = startBurst(port, (burst) => {
      if (!outage && burst.requestsAcknowledged >= 2 * CLIENTS) outage = takeDatabaseAway();
      if (burst.acknowledged.filter((r) => r.status === 'spooled').length >= 10 * EVENTS_PER_REQUEST) killAt();
    });
    await until(enoughSpooled, load);
    await killAndCheck(running, load, dataDir);
    // While SQLite's busy timeout blocks the worker's event loop, keep-alive sockets can
    // expire under a request in flight (ECONNRESET); such a request was never acknowledged.
    if (provider === 'postgresql') expect(load.burst.transportErrors).toBe(0);
    const spooled = load.burst.acknowledged.filter((r) => r.status === 'spooled').length;
    expect(spooled).toBeGreaterThanOrEqual(10 * EVENTS_PER_REQUEST);
  });

  /** SQLite: another process holds the write lock. PostgreSQL: the database refuses connections and its sessions are ended. */
  async function takeDatabaseAway(): Promise<void> {
    const url = db!.url;
    if (provider === 'sqlite') {
      const lock = new BetterSqlite3(sqlitePathOf(url));
      lock.exec('BEGIN EXCLUSIVE');
      restoreDatabase = async () => {
        lock.exec('COMMIT');
        lock.close();
      };
      return;
    }
    const name = db!.name!;
    await queryPostgres(POSTGRES_ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await queryPostgres(POSTGRES_ADMIN_URL, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    restoreDatabase = async () => {
      await queryPostgres(POSTGRES_ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    };
  }
});
