// Isolations written straight into a migrated database, the way a long-running install
// accumulates them: `entries` addresses under 10.0.0.0/8, and `ranges` /24s under 172.16.0.0/12.
import { applyMigrations } from '@/server/db/migrate';
import { openDatabase } from '@/server/db/client';

export async function seedIsolations(url: string, { entries, ranges = 0 }: { entries: number; ranges?: number }): Promise<void> {
  await applyMigrations(url);
  const database = await openDatabase({ url });
  try {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 86_400_000);
    const rows = Array.from({ length: entries }, (_, i) => ({
      source: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      origin: 'auto',
      reason: 'bench',
      actor: 'system',
      createdAt: now,
      expiresAt,
    }));
    for (let i = 0; i < ranges; i++)
      rows.push({ source: `172.${16 + (i >> 8)}.${i & 255}.0/24`, origin: 'manual', reason: 'bench range', actor: 'bench', createdAt: now, expiresAt });
    for (let i = 0; i < rows.length; i += 5000) await database.prisma.defenseDecision.createMany({ data: rows.slice(i, i + 5000) });
  } finally {
    await database.close();
  }
}
