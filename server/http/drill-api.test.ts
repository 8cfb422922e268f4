import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, TEST_SECRET, waitFor, type TestWorker } from '../test-support';
import { WorkerClient, WorkerRejectedError } from '../web/worker-client';

let t: TestWorker;
let client: WorkerClient;

beforeAll(async () => {
  t = await startTestWorker();
  client = new WorkerClient(`http://127.0.0.1:${t.port}`, TEST_SECRET);
});
afterAll(() => t.destroy());

describe('chaos drills through the worker', () => {
  it('lets admins only start a drill, one at a time, and keeps and audits the result', async () => {
    expect(await client.drills()).toEqual({ running: false, progress: [], runs: [] });
    await expect(client.startDrill({ actor: { name: 'olga', role: 'operator' }, scenarios: ['kill'] })).rejects.toMatchObject({ status: 403 });
    expect(await client.startDrill({ actor: { name: 'ada', role: 'admin' }, scenarios: ['kill'] })).toEqual({ started: true });
    const busy = await client.startDrill({ actor: { name: 'ada', role: 'admin' } }).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(WorkerRejectedError);
    expect(busy).toMatchObject({ status: 409 });
    const overview = await waitFor(
      async () => {
        const now = await client.drills();
        return !now.running && now.runs.length === 1 ? now : null;
      },
      { timeoutMs: 30_000 },
    );
    expect(overview.runs[0]).toMatchObject({ actor: 'ada', passed: true, results: [{ scenario: 'kill', passed: true }] });
    // The drill's demo module ran under its own engine: the operator's module list never saw it.
    expect(t.worker.healing.engine.list().map((m) => m.name)).not.toContain('drill-kill');
    const audited = await waitFor(() => t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'drill.completed' } }));
    expect(audited).toMatchObject({ actor: 'ada', resource: `drill:${overview.runs[0].id}` });
  }, 60_000);
});
