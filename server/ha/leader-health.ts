import { degradationLevelSchema, type DegradationLevel } from '@/lib/health/degradation';
import type { Database } from '../db/client';
import { latestHealthVerdict } from '../queries/health';

/**
 * On a standby, /healthz reports the leader's last stored sample: the leader is the replica
 * that samples the host, and load balancers must not see a standby as scoreless.
 */
export class LeaderHealth {
  private cached: { score: number; degradation: DegradationLevel; at: string } | null = null;
  private readAt = 0;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly maxAgeMs = 2000,
  ) {}

  async current(): Promise<{ score: number; degradation: DegradationLevel; at: string } | null> {
    if (Date.now() - this.readAt > this.maxAgeMs) {
      this.reading ??= latestHealthVerdict(this.database.prisma)
        .then((row) => {
          const level = degradationLevelSchema.safeParse(row?.degradation);
          this.cached = row && level.success ? { score: row.score, degradation: level.data, at: row.at.toISOString() } : null;
          this.readAt = Date.now();
        })
        .catch(() => undefined)
        .finally(() => (this.reading = null));
      await this.reading;
    }
    return this.cached;
  }
}
