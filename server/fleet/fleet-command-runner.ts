import type { FleetCommandProgress, FleetResultStatus } from '@/lib/fleet/fleet-actions';
import type { FleetCommand } from '@/lib/fleet/fleet-api';
import { isAppError } from '@/lib/errors';
import type { RecoveryOperation, RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import type { DefenseService } from '../defense';
import type { HealingService } from '../healing';
import type { RecoveryService } from '../recovery';

/** The host's own services a fleet command is carried out with: the same ones its local routes call. */
export interface FleetCommandServices {
  defense: DefenseService;
  healing: HealingService;
  recovery: RecoveryService;
  /** Recovery progress as it is reported; the answer stops listening. */
  watchRecovery(listener: (progress: RecoveryProgress) => void): () => void;
}

export interface FleetCommandStep {
  status: FleetResultStatus;
  message: string;
  progress?: FleetCommandProgress;
}

type FleetAction = FleetCommand['action'];
type Outcome = { ok: boolean; message: string };

const codeOf = (error: unknown) => (isAppError(error) ? error.code : null);

/** The held expiry is computed from the agent's clock on arrival: a few milliseconds off the console's. */
const SAME_EXPIRY_MS = 2000;

/**
 * Whether this host already enforces the very decision `action` carries (same source, sender,
 * reason and end). The console sends every fleet-wide isolation again on each reconnect; taking
 * it anew would lift and re-insert it, counting another offence and auditing twice.
 */
function holdsAlready(defense: DefenseService, action: Extract<FleetAction, { kind: 'isolate' }>, actor: string): boolean {
  const held = defense.blocklist.get(action.source);
  if (!held || held.actor !== actor || held.reason !== action.reason) return false;
  if (held.expiresAt === null || action.until === null) return held.expiresAt === action.until;
  return Math.abs(Date.parse(held.expiresAt) - Date.parse(action.until)) <= SAME_EXPIRY_MS;
}

/** Reports the recovery operation of that name while `work` runs, as `progress` steps. */
async function withRecoveryProgress<T>(
  services: FleetCommandServices,
  { operation, snapshot }: { operation: RecoveryOperation; snapshot: string },
  report: (step: FleetCommandStep) => void,
  work: () => Promise<T>,
): Promise<T> {
  const stop = services.watchRecovery((progress) => {
    if (progress.operation !== operation || progress.snapshot !== snapshot || progress.finished) return;
    const { phase, filesDone, filesTotal, bytesDone, bytesTotal } = progress;
    report({ status: 'progress', message: `${operation} ${snapshot}: ${phase}`, progress: { phase, filesDone, filesTotal, bytesDone, bytesTotal } });
  });
  try {
    return await work();
  } finally {
    stop();
  }
}

async function restoreGolden(
  services: FleetCommandServices,
  action: Extract<FleetAction, { kind: 'snapshot-restore' }>,
  actor: string,
  report: (step: FleetCommandStep) => void,
) {
  const header = await (await services.recovery.store()).find(action.snapshot);
  // From the console only a known-good state may be put back; any other restore is a local decision.
  if (!header.tags.includes('golden'))
    return { ok: false, message: `snapshot ${header.name} is not golden; only golden snapshots are restored from the console` };
  const result = await withRecoveryProgress(services, { operation: 'restore', snapshot: action.snapshot }, report, () =>
    services.recovery.restore({ ref: action.snapshot, mirror: false, dryRun: false, actor, reason: action.reason }),
  );
  if (result.outcome === 'rolled-back')
    return { ok: false, message: `restore of ${header.name} rolled back: ${result.rollbackReason ?? 'the health gate failed'}` };
  return { ok: true, message: `restore of ${header.name}: ${result.outcome}, ${result.filesWritten} files written, health gate passed` };
}

async function createSnapshot(
  services: FleetCommandServices,
  action: Extract<FleetAction, { kind: 'snapshot-create' }>,
  actor: string,
  report: (step: FleetCommandStep) => void,
) {
  const header = await withRecoveryProgress(services, { operation: 'create', snapshot: action.name }, report, () =>
    services.recovery.create({ name: action.name, tags: action.golden ? ['golden'] : ['manual'], actor }),
  );
  if (!action.golden) return { ok: true, message: `snapshot ${header.name}: ${header.files} files` };
  // Golden means known-good: only a verified golden snapshot counts as one (goldenStatus).
  const verified = await withRecoveryProgress(services, { operation: 'verify', snapshot: action.name }, report, () =>
    services.recovery.verify({ ref: header.name, actor }),
  );
  return verified.summary.ok
    ? { ok: true, message: `golden snapshot ${header.name}: ${header.files} files, verified` }
    : { ok: false, message: `golden snapshot ${header.name} did not verify: ${verified.summary.problems.length} problems` };
}

async function outcomeOf(services: FleetCommandServices, action: FleetAction, report: (step: FleetCommandStep) => void): Promise<Outcome> {
  const { defense, healing } = services;
  const actor = `fleet:${action.actor}`;
  switch (action.kind) {
    case 'isolate': {
      if (holdsAlready(defense, action, actor)) return { ok: true, message: `${action.source} already isolated` };
      const until = action.until === null ? null : Date.parse(action.until);
      await defense.isolations.isolate({
        source: action.source,
        reason: action.reason,
        actor,
        origin: 'manual',
        // The console authorised its operator already; the local policy (loopback, allowlist) still holds.
        authority: 'admin',
        durationMs: until === null ? null : Math.max(1000, until - Date.now()),
      });
      return { ok: true, message: `${action.source} isolated` };
    }
    case 'release':
      try {
        await defense.isolations.restore({ source: action.source, actor, reason: action.reason });
        return { ok: true, message: `${action.source} released` };
      } catch (error) {
        // A fleet-wide release reaches hosts that never isolated the source: that is its end state too.
        if (codeOf(error) === 'not_isolated') return { ok: true, message: `${action.source} was not isolated here` };
        throw error;
      }
    case 'restart-module': {
      const view = await healing.engine.restartNow(action.module, actor, action.reason);
      return { ok: true, message: `${action.module} restarted (${view.state}, ${view.restarts} restarts)` };
    }
    case 'lockdown':
      return { ok: true, message: (await defense.lockdown({ actor, reason: action.reason })) ? 'LOCKDOWN set' : 'already in LOCKDOWN' };
    case 'lift-lockdown':
      try {
        await defense.lift({ actor, reason: action.reason });
        return { ok: true, message: 'LOCKDOWN lifted' };
      } catch (error) {
        if (codeOf(error) === 'not_locked_down') return { ok: true, message: 'was not in LOCKDOWN' };
        throw error;
      }
    case 'snapshot-create':
      return createSnapshot(services, action, actor, report);
    case 'snapshot-restore':
      return restoreGolden(services, action, actor, report);
  }
}

/**
 * Carries out one command the console signed, with the host's own services, reporting each step:
 * accepted at once, progress while a snapshot or a restore runs, then succeeded or failed. A
 * failure is an answer, never a crash: the message says what went wrong on this host.
 */
export async function runFleetAction(services: FleetCommandServices, action: FleetAction, report: (step: FleetCommandStep) => void): Promise<void> {
  report({ status: 'accepted', message: `${action.kind} accepted` });
  try {
    const outcome = await outcomeOf(services, action, report);
    report({ status: outcome.ok ? 'succeeded' : 'failed', message: outcome.message });
  } catch (error) {
    report({ status: 'failed', message: (error as Error).message.slice(0, 2000) });
  }
}
