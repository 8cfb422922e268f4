import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moduleSchema } from '@/lib/healing/module-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import { createMigratedDatabase, PROVIDERS, spawnTs, waitFor, type MigratedDatabase, type RunningProcess } from '../test-support';
import { listIncidents } from '../queries/incidents';
import type { HealingEngine } from './healing-engine';
import { testHealingEngine } from '../test-support/healing';

const MODULES = 300;
/** Longer than a probe's whole timeout (1 s + the engine's 250 ms guard): every probe in flight "times out". */
const BLOCK_MS = 2500;

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Vigil's own process is starved: nothing else runs on its event loop meanwhile.
  }
}

let db: MigratedDatabase;
let engine: HealingEngine | null;
let target: RunningProcess | null;
let audit: AuditEventInput[];

afterEach(async () => {
  await engine?.close();
  target?.kill('SIGKILL');
  await target?.exited;
  await db.destroy();
});

describe.each(PROVIDERS)('probes while Vigil itself is starved (%s)', (provider) => {
  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    audit = [];
    engine = null;
    // 100 ms per answer keeps about 30 of the 300 probes in flight at any moment.
    target = spawnTs('server/test-support/slow-target.ts', { env: { DELAY_MS: '100' } });
  });

  it('sets timeouts aside as inconclusive, opens nothing, and still detects real downs after', async () => {
    const port = Number((await target!.waitForOutput(/listening (\d+)/)).match(/listening (\d+)/)![1]);
    const http = (name: string, path: string) =>
      moduleSchema.parse({ name, kind: 'http', url: `http://127.0.0.1:${port}${path}`, intervalSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 });
    const modules = [...Array.from({ length: MODULES }, (_, i) => http(`m${i}`, `/m/${i}`)), http('hung', '/hang')];
    engine = testHealingEngine({ database: db.database, modules: () => modules, audit });
    const running = engine;
    await running.start();
    const answering = () => running.list().filter((m) => m.name !== 'hung');
    await waitFor(() => answering().every((m) => m.state === 'up'), { timeoutMs: 20_000, what: 'all modules up' });
    // The hung module is really down: its timeouts count, since Vigil was not starved then.
    await waitFor(() => running.runtime('hung')?.state === 'down', { what: 'the hung module down' });

    busyWait(BLOCK_MS);
    const blockEnded = Date.now();

    // Every module answers a probe that started after the stall, and none was ever blamed for it.
    await waitFor(() => answering().every((m) => running.runtime(m.name)!.last!.at > blockEnded + 1500 && m.state === 'up'), {
      timeoutMs: 15_000,
      what: 'probes after the stall',
    });
    const downs = audit.filter((e) => e.type === 'module.state_changed' && e.details?.to === 'down');
    expect(downs.map((e) => e.module)).toEqual(['hung']);
    const inconclusive = audit.filter((e) => e.type === 'healing.probe_inconclusive');
    expect(inconclusive).toHaveLength(1);
    expect(inconclusive[0].reason).toMatch(/stalled \d+ ms|started \d+ ms late/);
    expect((await listIncidents(db.database.prisma, {})).map((i) => i.module)).toEqual(['hung']);

    // A real outage afterwards: the target is gone, every module is refused and goes down, and
    // incidents are rate-limited into one aggregate instead of 300.
    target!.kill('SIGKILL');
    await target!.exited;
    await waitFor(() => answering().every((m) => m.state === 'down'), { timeoutMs: 15_000, what: 'all modules down' });
    let incidents: Awaited<ReturnType<typeof listIncidents>> = [];
    await waitFor(
      async () => {
        incidents = await listIncidents(db.database.prisma, { limit: 500 });
        return incidents.some((i) => i.module === '*');
      },
      { what: 'the aggregate incident' },
    );
    // The hung module's, a burst of 20 (plus what refilled meanwhile), then one for all the rest.
    expect(incidents.length).toBeLessThan(30);
    expect(incidents.find((i) => i.module === '*')?.title).toMatch(/many modules failing at once/);
  }, 90_000);
});
