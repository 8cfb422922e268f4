import { afterEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { addDailyStats, dailyStatsSince } from './incidents';

let db: MigratedDatabase | null = null;
afterEach(async () => {
  await db?.destroy();
  db = null;
});

const delta = (module: string, probes: number) => ({ module, day: '2026-11-23', probes, failures: 1, upMs: 1000, downMs: 10, latencySumMs: 1.5, restarts: 0 });

describe.each(PROVIDERS)('daily module roll-ups on %s', (provider) => {
  it('creates a row per module and day, then adds to it', async () => {
    db = await createMigratedDatabase(provider);
    const modules = Array.from({ length: 600 }, (_, i) => `m${i}`);
    await addDailyStats(
      db.database.prisma,
      provider,
      modules.map((m) => delta(m, 2)),
    );
    await addDailyStats(db.database.prisma, provider, [delta('m0', 3), { ...delta('m599', 1), day: '2026-11-24' }]);
    const rows = await dailyStatsSince(db.database.prisma, '2026-11-01');
    expect(rows).toHaveLength(601);
    expect(rows.find((r) => r.module === 'm0' && r.day === '2026-11-23')).toMatchObject({ probes: 5, failures: 2, upMs: 2000, downMs: 20, latencySumMs: 3 });
    expect(rows.find((r) => r.module === 'm599' && r.day === '2026-11-24')).toMatchObject({ probes: 1, upMs: 1000 });
  });
});
