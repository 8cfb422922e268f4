import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moduleSchema, type ModuleDefinition } from '@/lib/healing/module-schema';
import { createMigratedDatabase, PROVIDERS, waitFor, type MigratedDatabase } from '../test-support';
import { freePort } from '../drills/demo-service';
import { listIncidents } from '../queries/incidents';
import type { HealingEngine } from './healing-engine';
import { testHealingEngine } from '../test-support/healing';
import { MASS_FAILURE_MODULE } from './mass-failure';

let db: MigratedDatabase;
let engine: HealingEngine | null = null;

afterEach(async () => {
  await engine?.close();
  await db.destroy();
});

describe.each(PROVIDERS)('many modules failing at once (%s)', (provider) => {
  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
  });

  it('opens a burst of incidents, folds the rest into one, and resolves it once its members are gone', async () => {
    // Nothing listens on this port: every probe is refused at once, a real and immediate failure.
    const port = await freePort();
    let modules: ModuleDefinition[] = Array.from({ length: 40 }, (_, i) =>
      moduleSchema.parse({ name: `m${i}`, kind: 'http', url: `http://127.0.0.1:${port}/m/${i}`, intervalSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 }),
    );
    engine = testHealingEngine({ database: db.database, modules: () => modules });
    const running = engine;
    await running.start();
    const aggregate = await waitFor(() => running.incidents.openIncidents().find((i) => i.module === MASS_FAILURE_MODULE), { what: 'the aggregate incident' });
    await waitFor(() => running.list().every((m) => m.state === 'down'), { what: 'all modules down' });
    expect(running.incidents.openIncidents().length).toBeLessThanOrEqual(22);
    expect(aggregate.title).toMatch(/many modules failing at once/);

    // The failing modules are taken out of the configuration: nothing is left failing, so the aggregate closes.
    modules = [];
    await running.reconcile();
    await waitFor(() => aggregate.state === 'resolved', { what: 'the aggregate resolved' });
    const stored = await listIncidents(db.database.prisma, { module: MASS_FAILURE_MODULE });
    expect(stored.map((i) => i.state)).toEqual(['resolved']);
  });
});
