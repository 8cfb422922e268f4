import type { HealthSnapshot } from '@/lib/health/types';
import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import type { DrillOverview, StartDrillInput } from '@/lib/drills/drill-schema';
import type { DegradationLevel } from '@/lib/health/degradation';
import { HttpError } from '@/lib/http-error';
import { REQUEST_ID_HEADER } from '@/lib/request-id';
import { internalToken } from '../auth/keys';
import type { VerificationResult } from '../audit/verification-state';
import type { DefenseDecision, DefenseOverview, AllowlistEntry, DefenseMode } from '@/lib/defense/defense-types';
import type { SignalKind } from '@/lib/defense/signals';
import type { IntegrityStatus, RebaselineRequest } from '@/lib/integrity/integrity-status';
import type { SnapshotHeader, SnapshotTag, VerificationSummary } from '@/lib/recovery/snapshot-schema';
import type { DiffLineView, PruneResultView, RecoveryOverviewView, RestoreResultView } from '@/lib/recovery/recovery-views';
import type { HealingOverviewView, IncidentDetailView, ModuleLogsView } from '@/lib/healing/healing-views';
import type { ModuleControlAction } from '@/lib/healing/healing-api';
import type { ModuleView } from '@/lib/healing/module-view';
import type { Role } from '@/lib/auth/roles';
import type { ForecastOverview, GovernorView } from '@/lib/forecast/forecast-views';
import type { Suggestion } from '@/lib/forecast/governor-rules';
import type { MitigationActionId } from '@/lib/forecast/risk';
import { currentRequestId } from './request-scope';
import type { BlocklistRefreshRequest, BlocklistStatus, BlocklistsResponse } from '@/lib/defense/blocklist-api';

/**
 * Snapshot, verify and restore answer only when the operation is over (progress streams over
 * the socket meanwhile); a restore of a large tree with hooks and a health gate takes minutes.
 */
const RECOVERY_OPERATION_TIMEOUT_MS = 30 * 60_000;

/** Who asks the healing engine: its audit events name `name`, its admin-only checks read `role`. */
export interface HealingActor {
  name: string;
  role: Role;
}

const modulePath = (name: string, action: string) => `/internal/v1/healing/modules/${encodeURIComponent(name)}/${action}`;

const snapshotPath = (ref: string, action: string) => `/internal/v1/recovery/snapshots/${encodeURIComponent(ref)}/${action}`;

/** Seconds a browser or script should wait before asking again while the worker is away. */
const WORKER_RETRY_AFTER_SECONDS = '2';

/** The worker is away: an expected failure the web API answers as 503 with Retry-After. */
export class WorkerUnavailableError extends HttpError {
  constructor(cause: string) {
    super(503, 'worker_unavailable', `the worker is not reachable (${cause})`, { 'retry-after': WORKER_RETRY_AFTER_SECONDS });
    this.name = 'WorkerUnavailableError';
  }
}

/** The worker refused (4xx, or its own 5xx): passed on to the caller with the worker's status and code. */
export class WorkerRejectedError extends HttpError {
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(status, code, message, headers);
    this.name = 'WorkerRejectedError';
  }
}

/** How the web app asks the worker to act: it never touches the monitored system itself. */
export class WorkerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Which workers run and which one leads (PostgreSQL with VIGIL_HA); any replica answers. */
  clusterOverview(): Promise<ClusterOverview> {
    return this.request('GET', '/internal/v1/cluster');
  }

  currentHealth(): Promise<HealthSnapshot | null> {
    return this.request<HealthSnapshot | null>('GET', '/internal/v1/health');
  }

  pinDegradation(input: { level: DegradationLevel | null; actor: string; reason: string }): Promise<HealthSnapshot | null> {
    return this.request('POST', '/internal/v1/degradation/pin', input);
  }

  verifyAudit(input: { mode: 'full' | 'incremental' }): Promise<VerificationResult> {
    // A full verification of millions of events takes seconds, not the default five.
    return this.request('POST', '/internal/v1/audit/verify', input, Math.max(this.timeoutMs, 300_000));
  }

  auditPublicKey(): Promise<{ keyId: string; publicKeyPem: string }> {
    return this.request('GET', '/internal/v1/audit/public-key');
  }

  recoveryOverview(): Promise<RecoveryOverviewView> {
    return this.request('GET', '/internal/v1/recovery');
  }

  createSnapshot(input: { name?: string; tags: SnapshotTag[]; actor: string }): Promise<SnapshotHeader> {
    return this.request('POST', '/internal/v1/recovery/snapshots', input, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  verifySnapshot({ ref, actor }: { ref: string; actor: string }): Promise<VerificationSummary> {
    return this.request('POST', snapshotPath(ref, 'verify'), { actor }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  restoreSnapshot({ ref, ...body }: { ref: string; reason: string; mirror: boolean; dryRun: boolean; actor: string }): Promise<RestoreResultView> {
    return this.request('POST', snapshotPath(ref, 'restore'), body, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  diffSnapshot({ ref, against }: { ref: string; against?: string }): Promise<DiffLineView[]> {
    const query = against ? `?${new URLSearchParams({ against })}` : '';
    // Against the live tree every file is hashed again.
    return this.request('GET', `${snapshotPath(ref, 'diff')}${query}`, undefined, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  settleRestore(input: { action: 'resume' | 'rollback'; reason: string; actor: string }): Promise<RestoreResultView> {
    return this.request('POST', '/internal/v1/recovery/settle', input, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  pruneSnapshots(input: { dryRun: boolean; actor: string }): Promise<PruneResultView> {
    return this.request('POST', '/internal/v1/recovery/prune', input, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  healingOverview(): Promise<HealingOverviewView> {
    return this.request('GET', '/internal/v1/healing');
  }

  incident(id: string): Promise<IncidentDetailView> {
    return this.request('GET', `/internal/v1/healing/incidents/${encodeURIComponent(id)}`);
  }

  moduleLogs(name: string): Promise<ModuleLogsView> {
    return this.request('GET', modulePath(name, 'logs'));
  }

  defineModule(input: { definition: unknown; actor: HealingActor }): Promise<ModuleView> {
    return this.request('POST', '/internal/v1/healing/modules', input);
  }

  removeModule({ name, actor }: { name: string; actor: HealingActor }): Promise<{ removed: string }> {
    return this.request('POST', modulePath(name, 'remove'), { actor });
  }

  /** A restart waits for the module to be probed again, which can take its whole timeout. */
  controlModule({ name, action, ...body }: { name: string; action: ModuleControlAction; reason: string; actor: HealingActor }): Promise<ModuleView> {
    return this.request('POST', modulePath(name, action), body, Math.max(this.timeoutMs, 60_000));
  }

  decideApproval({ name, ...body }: { name: string; approve: boolean; actor: HealingActor }): Promise<ModuleView> {
    return this.request('POST', modulePath(name, 'approval'), body, Math.max(this.timeoutMs, 60_000));
  }

  drills(): Promise<DrillOverview> {
    return this.request('GET', '/internal/v1/drills');
  }

  /** Answers once the drill has started; its result shows up in drills() when it is over. */
  startDrill(input: StartDrillInput): Promise<{ started: true }> {
    return this.request('POST', '/internal/v1/drills', input);
  }

  integrityStatus(): Promise<IntegrityStatus> {
    return this.request('GET', '/internal/v1/integrity');
  }

  /** Hashes every watched file again: seconds for a large tree, so not the default five. */
  rebaselineIntegrity(input: RebaselineRequest): Promise<IntegrityStatus> {
    return this.request('POST', '/internal/v1/integrity/rebaseline', input, Math.max(this.timeoutMs, 300_000));
  }

  defenseOverview(): Promise<DefenseOverview> {
    return this.request('GET', '/internal/v1/defense');
  }

  /** From the public /healthz, which the worker answers from memory: cheap enough to ask per change request. */
  async defenseMode(): Promise<DefenseMode> {
    const health = await this.request<{ defenseMode: DefenseMode }>('GET', '/healthz', undefined, Math.min(this.timeoutMs, 1000));
    return health.defenseMode;
  }

  isolateSource(input: { source: string; reason: string; actor: string; role: Role; duration?: number | string; indefinite?: boolean }): Promise<DefenseDecision> {
    return this.request('POST', '/internal/v1/defense/isolate', input);
  }

  restoreSource(input: { source: string; reason: string; actor: string }): Promise<DefenseDecision> {
    return this.request('POST', '/internal/v1/defense/restore', input);
  }

  lockdown(input: { reason: string; actor: string; expiresAt?: string }): Promise<DefenseOverview> {
    return this.request('POST', '/internal/v1/defense/lockdown', input);
  }

  liftLockdown(input: { reason: string; actor: string }): Promise<DefenseOverview> {
    return this.request('POST', '/internal/v1/defense/lift', input);
  }

  allowSource(input: { source: string; reason: string; actor: string }): Promise<{ allowlist: AllowlistEntry[] }> {
    return this.request('POST', '/internal/v1/defense/allowlist', input);
  }

  disallowSource(input: { source: string; reason: string; actor: string }): Promise<{ allowlist: AllowlistEntry[] }> {
    return this.request('POST', '/internal/v1/defense/allowlist/remove', input);
  }

  /** Sign-in outcomes for the worker's detectors; a short timeout, since a sign-in must not wait on it. */
  reportSignals(signals: Array<{ kind: SignalKind; source: string; user?: string; path?: string; status?: number }>): Promise<{ accepted: number }> {
    return this.request('POST', '/internal/v1/defense/signals', { signals }, Math.min(this.timeoutMs, 1000));
  }

  forecastOverview(): Promise<ForecastOverview> {
    return this.request('GET', '/internal/v1/forecast');
  }

  /** A mitigation may take a snapshot or restart a module: minutes, not seconds. */
  applyMitigation(input: { subsystem: string; action: MitigationActionId; reason: string; actor: string }): Promise<{ applied: MitigationActionId; subsystem: string }> {
    return this.request('POST', '/internal/v1/forecast/mitigations', input, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  governor(): Promise<GovernorView> {
    return this.request('GET', '/internal/v1/forecast/governor');
  }

  decideSuggestion({ id, ...body }: { id: string; decision: 'applied' | 'dismissed'; actor: string }): Promise<Suggestion> {
    return this.request('POST', `/internal/v1/forecast/governor/${encodeURIComponent(id)}`, body);
  }

  /** Imported IP lists and how each one's last refresh went. */
  blocklists(): Promise<BlocklistsResponse> {
    return this.request('GET', '/internal/v1/defense/blocklists');
  }

  /** Reads a list again now; answers once the read ended (the status says whether it was refused). */
  refreshBlocklist(input: BlocklistRefreshRequest & { actor: string }): Promise<BlocklistStatus> {
    return this.request('POST', '/internal/v1/defense/blocklists/refresh', input, Math.max(this.timeoutMs, 35_000));
  }

  private async request<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    const requestId = currentRequestId();
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${internalToken(this.secret)}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
          // The worker logs under the same id as the web request that asked.
          ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      });
    } catch (error) {
      throw new WorkerUnavailableError((error as Error).name === 'TimeoutError' ? 'timed out' : ((error as { cause?: { code?: string } }).cause?.code ?? 'connection failed'));
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch (error) {
      if (response.ok) {
        // A 200 whose body cannot be read is not an answer: never mistake it for "nothing yet".
        throw new WorkerUnavailableError((error as Error).name === 'TimeoutError' ? 'timed out' : 'unreadable response');
      }
      payload = null;
    }
    if (!response.ok) {
      const error = (payload as { error?: { code: string; message: string } } | null)?.error;
      const retryAfter = response.headers.get('retry-after');
      throw new WorkerRejectedError(response.status, error?.code ?? 'worker_error', error?.message ?? `worker answered ${response.status}`, retryAfter ? { 'retry-after': retryAfter } : {});
    }
    return payload as T;
  }
}
