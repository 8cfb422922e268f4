import { execFileSync } from 'node:child_process';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db/client';
import { api, createEmptyDatabase, makeTempDir, PROVIDERS, TEST_API_TOKEN, waitFor, type EmptyDatabase, type TempDir } from './test-support';
import { internalCall } from './test-support/defense-worker';
import { readDashboardState, spawnWorkerProcess, type DashboardState, type WorkerProcess } from './test-support/dashboard-state';

const ATTACKERS = ['203.0.113.7', '203.0.113.8'];
const operator = { name: 'admin', role: 'admin' };

function configFor(watched: string): string {
  return `trustedProxies: ["127.0.0.1"]
defense:
  elevated: { threats: 2 }
  scenarios:
    - { name: brute-force, kinds: [auth_failure], capacity: 5, windowSeconds: 600, level: critical, blackholeSeconds: 0 }
integrity:
  debounceMs: 50
  paths:
    - { path: ${JSON.stringify(watched)}, critical: false }
modules:
  - { name: svc, kind: process, command: ${JSON.stringify([process.execPath, '-e', 'setInterval(() => {}, 1000)'])}, intervalSeconds: 1 }
`;
}

/** What must look the same after a restart; live values (usage, scan times, guard counters) are left out. */
function comparable(state: DashboardState) {
  const { defense, integrity, health, modules } = state;
  return {
    mode: defense.mode,
    threats: defense.threats,
    threatCounts: defense.threatCounts,
    threatsPerMinute: defense.threatsPerMinute,
    isolations: defense.isolations,
    isolationCount: defense.isolationCount,
    integrity: {
      outstanding: integrity.outstanding,
      recentFindings: integrity.recentFindings,
      filesWatched: integrity.filesWatched,
      baselineCreatedAt: integrity.baselineCreatedAt,
    },
    disks: health.sample.disks.map((disk) => disk.mount),
    restarts: Object.fromEntries(modules.map((m) => [m.name, m.restarts])),
  };
}

/** A mount made while the worker runs (as container runtimes and backup tools do): the same filesystem at a second place. */
function bindMount(dir: TempDir): () => void {
  const source = dir.join('bind-source');
  const target = dir.join('bind-target');
  mkdirSync(source);
  mkdirSync(target);
  execFileSync('mount', ['--bind', source, target]);
  return () => execFileSync('umount', ['-l', target]);
}

describe.each(PROVIDERS)('a restarted worker shows the dashboard it showed before (%s)', (provider) => {
  let db: EmptyDatabase | null = null;
  let dir: TempDir | null = null;
  let workers: WorkerProcess[] = [];
  let unmount: (() => void) | null = null;

  afterEach(async () => {
    // A clean stop ends the worker's supervised process too; a killed one would leave it behind.
    for (const w of workers) {
      w.running.kill('SIGTERM');
      await w.running.exited;
    }
    unmount?.();
    await db?.destroy();
    dir?.remove();
    workers = [];
    unmount = null;
    db = null;
    dir = null;
  });

  async function produceState(port: number, watched: string): Promise<void> {
    for (const source of ATTACKERS) {
      const events = Array.from({ length: 5 }, () => ({ type: 'auth_failure', source }));
      expect((await api(port, '/api/v1/events', { json: { events }, token: TEST_API_TOKEN })).status).toBe(202);
      // One at a time: the feed's order is the order threats were detected.
      await waitFor(async () => (await readDashboardState(port)).defense.isolations.some((d) => d.source === source), { what: `isolation of ${source}` });
    }
    writeFileSync(`${watched}/a.txt`, 'tampered');
    unlinkSync(`${watched}/b.txt`);
    writeFileSync(`${watched}/new.txt`, 'planted');
    await waitFor(async () => (await readDashboardState(port)).integrity.recentFindings.length === 3, { what: 'three integrity findings' });
    for (const reason of ['stuck workers', 'still stuck']) {
      const restarted = await internalCall(port, '/internal/v1/healing/modules/svc/restart', { actor: operator, reason });
      expect(restarted.status).toBe(200);
    }
  }

  /** Everything the dashboard reads has reached the database (the threat events are written after the isolations). */
  async function durable(databaseUrl: string): Promise<void> {
    const database = await openDatabase({ url: databaseUrl });
    try {
      await waitFor(async () => (await database.prisma.auditEvent.count({ where: { type: 'defense.threat' } })) === ATTACKERS.length, {
        what: 'threats in the audit trail',
      });
    } finally {
      await database.close();
    }
  }

  it.each(['SIGKILL', 'SIGTERM'] as const)('after %s', { timeout: 120_000 }, async (signal) => {
    db = await createEmptyDatabase(provider);
    dir = makeTempDir('vigil-restart-');
    const dataDir = db.dir.join('data');
    const watched = dir.join('watched');
    mkdirSync(watched);
    for (const name of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(`${watched}/${name}`, name);
    const config = configFor(watched);

    const first = await spawnWorkerProcess({ dataDir, databaseUrl: db.url, config });
    workers.push(first);
    await waitFor(async () => (await readDashboardState(first.port)).modules.some((m) => m.name === 'svc' && m.state === 'up'), {
      timeoutMs: 15_000,
      what: 'svc up',
    });
    await produceState(first.port, watched);
    await durable(db.url);
    const before = comparable(await readDashboardState(first.port));
    expect(before.threats).toHaveLength(2);
    expect(before.mode).toBe('ELEVATED');
    expect(before.integrity.outstanding).toBe(3);
    expect(before.restarts).toEqual({ svc: 2 });

    unmount = bindMount(dir);
    first.running.kill(signal);
    expect(await first.running.exited).toMatchObject(signal === 'SIGKILL' ? { signal } : { code: 0 });

    const second = await spawnWorkerProcess({ dataDir, databaseUrl: db.url, config });
    workers.push(second);
    const after = comparable(await readDashboardState(second.port));
    expect(after).toEqual(before);
    // The isolation keeps its cause: the scenario and the threat that set it off.
    for (const source of ATTACKERS) {
      const isolation = after.isolations.find((d) => d.source === source);
      expect(isolation).toMatchObject({ origin: 'auto', scenario: 'brute-force', reason: `brute-force: 5 events from ${source}` });
      expect(after.threats).toContainEqual(expect.objectContaining({ key: source, action: 'isolated', scenario: 'brute-force', count: 5 }));
    }
  });
});
