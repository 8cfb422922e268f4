import type { SnapshotsConfig } from '@/lib/config/config-schema';
import type { SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { GOLDEN_SNAPSHOT_STALE } from '@/lib/alerts/default-rules';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Logger } from '../log';
import type { RecoveryService } from './recovery-service';

const TICK_MS = 60_000;

/** What is due at `now`: a scheduled snapshot, and which snapshots need a fresh verification. */
export function dueWork(config: SnapshotsConfig, snapshots: readonly SnapshotHeader[], now: number): { snapshot: boolean; verify: string[] } {
  const schedule = config.schedule;
  const newestScheduled = schedule ? snapshots.find((s) => s.tags.includes(schedule.tag)) : undefined;
  const snapshot =
    schedule !== null && config.sources.length > 0 && (!newestScheduled || now - Date.parse(newestScheduled.createdAt) >= schedule.everyMinutes * 60_000);
  // The snapshots a restore would reach for: the newest golden, and the newest of all.
  const candidates = [snapshots.find((s) => s.tags.includes('golden')), snapshots[0]].filter((s): s is SnapshotHeader => s !== undefined);
  const stale = (s: SnapshotHeader) => !s.lastVerification || now - Date.parse(s.lastVerification.at) >= config.verifyEveryHours * 3_600_000;
  return { snapshot, verify: [...new Set(candidates.filter(stale).map((s) => s.name))] };
}

/** Scheduled snapshots (then retention), and scheduled verification; skips a tick while busy. */
export class RecoveryScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly service: RecoveryService,
    private readonly config: () => SnapshotsConfig,
    private readonly log: Logger,
    private readonly audit?: { append(input: AuditEventInput): Promise<unknown> },
  ) {}

  private goldenStale = false;

  start(): void {
    this.running = this.service
      .reviewInterruptedRestore()
      .then(
        () => undefined,
        (error: unknown) => this.log.warn({ err: (error as Error).message }, 'reviewing an interrupted restore failed'),
      )
      .finally(() => {
        this.running = null;
      });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  tick(now = Date.now()): Promise<void> {
    this.running ??= this.runDue(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runDue(now: number): Promise<void> {
    try {
      const config = this.config();
      const { snapshots, pendingRestore } = await this.service.overview();
      if (pendingRestore) return;
      if (dueWork(config, snapshots, now).snapshot && config.schedule) {
        await this.service.create({ tags: [config.schedule.tag], actor: 'scheduler' });
        await this.service.prune({ dryRun: false, actor: 'scheduler' });
      }
      // Recomputed, so a snapshot taken just now is verified in the same tick.
      const current = (await this.service.overview()).snapshots;
      for (const name of dueWork(config, current, now).verify) await this.service.verify({ ref: name, actor: 'scheduler' });
      await this.reportGoldenAge();
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'scheduled snapshot work failed');
    }
  }

  /**
   * Once when the newest verified golden snapshot passes its age limit (again after a fresh one
   * came and aged). An installation that never made a golden snapshot is not told every tick.
   */
  private async reportGoldenAge(): Promise<void> {
    const { golden } = await this.service.overview();
    const stale = golden.newest !== null && golden.stale;
    const became = stale && !this.goldenStale;
    this.goldenStale = stale;
    if (!became || !golden.newest) return;
    await this.audit?.append({
      type: GOLDEN_SNAPSHOT_STALE,
      severity: 'high',
      actor: 'system',
      action: `golden snapshot older than ${golden.maxAgeHours} h`,
      module: 'recovery',
      resource: `snapshot:${golden.newest.name}`,
      reason: `the newest verified golden snapshot was taken at ${golden.newest.createdAt}`,
      method: 'schedule',
      details: { createdAt: golden.newest.createdAt, maxAgeHours: golden.maxAgeHours },
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
