import { afterEach, describe, expect, it } from 'vitest';
import type { SectionView } from '@/lib/settings/editable-sections';
import { createEmptyDatabase, PROVIDERS, type EmptyDatabase } from '../test-support';
import { spawnWorkerProcess, type WorkerProcess } from '../test-support/dashboard-state';
import { internalCall } from '../test-support/defense-worker';

/** A section big enough that writing it takes a while: 300 sources, every path naming its generation. */
const generation = (n: number) => ({
  sources: Array.from({ length: 300 }, (_, at) => ({ name: `g${n}-source-${at}`, path: `/srv/generation-${n}/${'d'.repeat(120)}/${at}`, exclude: [] })),
});
const generationOf = (value: unknown): Set<number> =>
  new Set(((value as { sources: { name: string }[] }).sources ?? []).map((source) => Number(/^g(\d+)-/.exec(source.name)?.[1])));

describe.each(PROVIDERS)('a worker killed with SIGKILL while saving a console section (%s)', (provider) => {
  let db: EmptyDatabase | null = null;
  let worker: WorkerProcess | null = null;

  afterEach(async () => {
    worker?.running.kill('SIGKILL');
    await worker?.running.exited;
    await db?.destroy();
    worker = null;
    db = null;
  });

  it('comes back with the section wholly as last acknowledged or wholly as the save in flight, never a mix', async () => {
    db = await createEmptyDatabase(provider);
    const start = () => spawnWorkerProcess({ dataDir: db!.dir.join('data'), databaseUrl: db!.url, config: 'modules: []\n', integrityScan: false });
    worker = await start();
    const { port } = worker;
    const save = (n: number) => internalCall<SectionView>(port, '/internal/v1/settings/snapshots', { actor: 'user:ada', value: generation(n) });

    for (let n = 1; n <= 3; n++) expect((await save(n)).status).toBe(200);
    // Saves sent together; once the first of them is acknowledged the rest are being parsed,
    // sealed or written, and the kill lands in the middle of them.
    const inFlight = [4, 5, 6, 7, 8, 9, 10, 11].map((n) => save(n).catch(() => undefined));
    await inFlight[0];
    worker.running.kill('SIGKILL');
    await worker.running.exited;
    await Promise.all(inFlight);

    worker = await start();
    const sections = await internalCall<{ sections: SectionView[] }>(worker.port, '/internal/v1/settings');
    const snapshots = sections.body.sections.find((s) => s.section === 'snapshots')!;
    expect(snapshots.origin).toBe('console');
    const generations = [...generationOf(snapshots.value)];
    expect(generations).toHaveLength(1);
    // Concurrent saves land in any order (the last written wins); what was acknowledged before them never goes back.
    expect(generations[0]).toBeGreaterThanOrEqual(3);
    expect(generations[0]).toBeLessThanOrEqual(11);
    expect(snapshots.value).toMatchObject(generation(generations[0]));
  });
});
