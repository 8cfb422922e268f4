import { HEARTBEAT_GOLDEN_SNAPSHOTS } from '@/lib/fleet/host-status';
import type { RecoveryService } from '../recovery';

/** Often enough that a snapshot just taken is offered within a few beats, rarely enough that the store is not read on every one. */
const REFRESH_MS = 5_000;

/**
 * The names of this host's newest verified golden snapshots, for its heartbeat: read from the
 * store in the background, so the heartbeat itself never waits on a disk. An unreadable store
 * keeps the last list.
 */
export function goldenSnapshotNames(recovery: Pick<RecoveryService, 'store'>): () => string[] {
  let names: string[] = [];
  let readAt = -Infinity;
  let reading = false;
  const refresh = async () => {
    reading = true;
    try {
      const snapshots = await (await recovery.store()).list();
      names = snapshots
        .filter((snapshot) => snapshot.tags.includes('golden') && snapshot.lastVerification?.ok)
        .slice(0, HEARTBEAT_GOLDEN_SNAPSHOTS)
        .map((snapshot) => snapshot.name);
    } catch {
      // The recovery page reports an unreadable store; the heartbeat goes on with what it knew.
    } finally {
      readAt = Date.now();
      reading = false;
    }
  };
  return () => {
    if (!reading && Date.now() - readAt >= REFRESH_MS) void refresh();
    return names;
  };
}
