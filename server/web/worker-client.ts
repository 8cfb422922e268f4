import type { DefenseMode } from '@/lib/defense/defense-types';
import type { StartDrillInput } from '@/lib/drills/drill-schema';
import type { DegradationLevel } from '@/lib/health/degradation';
import type { SignalKind } from '@/lib/defense/signals';
import type { RebaselineRequest } from '@/lib/integrity/integrity-status';
import type { SnapshotTag } from '@/lib/recovery/snapshot-schema';
import type { ModuleControlAction } from '@/lib/healing/healing-api';
import type { Role } from '@/lib/auth/roles';
import type { MitigationActionId } from '@/lib/forecast/risk';
import type { BlocklistRefreshRequest } from '@/lib/defense/blocklist-api';
import type { FleetCommandRequest } from '@/lib/fleet/fleet-command-api';
import {
  defenseContracts,
  fleetCommandContracts,
  forecastContracts,
  healingContracts,
  healthContracts,
  offsiteContracts,
  operationsContracts,
  recoveryContracts,
  type RouteContract,
} from '../contracts';
import { OFFSITE_OPERATION_TIMEOUT_MS } from '../contracts/offsite-contracts';
import { callWorker, type CallInput, type CallResult } from './worker-call';

export { WorkerBadResponseError, WorkerRejectedError, WorkerUnavailableError } from './worker-call';

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

/**
 * How the web app asks the worker to act: it never touches the monitored system itself. Every
 * call goes through `call(contract, input)` with the contract the worker registered its handler
 * on (server/contracts), and every answer is parsed with that contract's response schema. The
 * named methods below only add what the web app decides: timeouts, and the shape its routes pass.
 */
export class WorkerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Calls one worker endpoint by its declaration; a new endpoint needs no method here. */
  call<C extends RouteContract>(contract: C, input: CallInput<C>, timeoutMs = this.timeoutMs): Promise<CallResult<C>> {
    return callWorker({ baseUrl: this.baseUrl, secret: this.secret, timeoutMs }, contract, input);
  }

  /** Which workers run and which one leads (PostgreSQL with VIGIL_HA); any replica answers. */
  clusterOverview() {
    return this.call(healthContracts.cluster, {});
  }

  currentHealth() {
    return this.call(healthContracts.currentHealth, {});
  }

  pinDegradation(body: { level: DegradationLevel | null; actor: string; reason: string }) {
    return this.call(healthContracts.pinDegradation, { body });
  }

  verifyAudit(body: { mode: 'full' | 'incremental' }) {
    // A full verification of millions of events takes seconds, not the default five.
    return this.call(healthContracts.verifyAudit, { body }, Math.max(this.timeoutMs, 300_000));
  }

  auditPublicKey() {
    return this.call(healthContracts.auditPublicKey, {});
  }

  recoveryOverview() {
    return this.call(recoveryContracts.overview, {});
  }

  createSnapshot(body: { name?: string; tags: SnapshotTag[]; actor: string }) {
    return this.call(recoveryContracts.createSnapshot, { body }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  verifySnapshot({ ref, actor }: { ref: string; actor: string }) {
    return this.call(recoveryContracts.verifySnapshot, { params: { ref }, body: { actor } }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  restoreSnapshot({ ref, ...body }: { ref: string; reason: string; mirror: boolean; dryRun: boolean; actor: string }) {
    return this.call(recoveryContracts.restoreSnapshot, { params: { ref }, body }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  diffSnapshot({ ref, against }: { ref: string; against?: string }) {
    // Against the live tree every file is hashed again.
    return this.call(recoveryContracts.diffSnapshot, { params: { ref }, query: { against } }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  settleRestore(body: { action: 'resume' | 'rollback'; reason: string; actor: string }) {
    return this.call(recoveryContracts.settleRestore, { body }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  pruneSnapshots(body: { dryRun: boolean; actor: string }) {
    return this.call(recoveryContracts.pruneSnapshots, { body }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  offsiteOverview() {
    return this.call(offsiteContracts.offsiteOverview, {});
  }

  /** Copy, list, restore, check and retention run restic against a remote repository: as long as the transfer takes. */
  offsite<K extends 'offsiteCopy' | 'offsiteList' | 'offsiteRestore' | 'offsiteCheck' | 'offsiteForget'>(
    name: K,
    input: CallInput<(typeof offsiteContracts)[K]>,
  ): Promise<CallResult<(typeof offsiteContracts)[K]>> {
    return this.call(offsiteContracts[name], input, OFFSITE_OPERATION_TIMEOUT_MS);
  }

  healingOverview() {
    return this.call(healingContracts.overview, {});
  }

  incident(id: string) {
    return this.call(healingContracts.incident, { params: { id } });
  }

  moduleLogs(name: string) {
    return this.call(healingContracts.moduleLogs, { params: { name } });
  }

  defineModule(body: { definition: unknown; actor: HealingActor }) {
    return this.call(healingContracts.defineModule, { body });
  }

  removeModule({ name, actor }: { name: string; actor: HealingActor }) {
    return this.call(healingContracts.removeModule, { params: { name }, body: { actor } });
  }

  /** A restart waits for the module to be probed again, which can take its whole timeout. */
  controlModule({ name, action, ...body }: { name: string; action: ModuleControlAction; reason: string; actor: HealingActor }) {
    return this.call(healingContracts[action], { params: { name }, body }, Math.max(this.timeoutMs, 60_000));
  }

  decideApproval({ name, ...body }: { name: string; approve: boolean; actor: HealingActor }) {
    return this.call(healingContracts.decideApproval, { params: { name }, body }, Math.max(this.timeoutMs, 60_000));
  }

  drills() {
    return this.call(operationsContracts.drills, {});
  }

  /** Answers once the drill has started; its result shows up in drills() when it is over. */
  startDrill(body: StartDrillInput) {
    return this.call(operationsContracts.startDrill, { body });
  }

  integrityStatus() {
    return this.call(operationsContracts.integrityStatus, {});
  }

  /** Hashes every watched file again: seconds for a large tree, so not the default five. */
  rebaselineIntegrity(body: RebaselineRequest) {
    return this.call(operationsContracts.rebaselineIntegrity, { body }, Math.max(this.timeoutMs, 300_000));
  }

  defenseOverview() {
    return this.call(defenseContracts.overview, {});
  }

  /** From the public /healthz, which the worker answers from memory: cheap enough to ask per change request. */
  async defenseMode(): Promise<DefenseMode> {
    const health = await this.call(healthContracts.healthz, {}, Math.min(this.timeoutMs, 1000));
    return health.defenseMode;
  }

  isolateSource(body: { source: string; reason: string; actor: string; role: Role; duration?: number | string; indefinite?: boolean }) {
    return this.call(defenseContracts.isolateSource, { body });
  }

  restoreSource(body: { source: string; reason: string; actor: string }) {
    return this.call(defenseContracts.restoreSource, { body });
  }

  lockdown(body: { reason: string; actor: string; expiresAt?: string }) {
    return this.call(defenseContracts.lockdown, { body });
  }

  liftLockdown(body: { reason: string; actor: string }) {
    return this.call(defenseContracts.liftLockdown, { body });
  }

  allowSource(body: { source: string; reason: string; actor: string }) {
    return this.call(defenseContracts.allowSource, { body });
  }

  disallowSource(body: { source: string; reason: string; actor: string }) {
    return this.call(defenseContracts.disallowSource, { body });
  }

  /** Sign-in outcomes for the worker's detectors; a short timeout, since a sign-in must not wait on it. */
  reportSignals(signals: Array<{ kind: SignalKind; source: string; user?: string; path?: string; status?: number }>) {
    return this.call(defenseContracts.reportSignals, { body: { signals } }, Math.min(this.timeoutMs, 1000));
  }

  forecastOverview() {
    return this.call(forecastContracts.overview, {});
  }

  /** A mitigation may take a snapshot or restart a module: minutes, not seconds. */
  applyMitigation(body: { subsystem: string; action: MitigationActionId; reason: string; actor: string }) {
    return this.call(forecastContracts.applyMitigation, { body }, RECOVERY_OPERATION_TIMEOUT_MS);
  }

  governor() {
    return this.call(forecastContracts.governor, {});
  }

  decideSuggestion({ id, ...body }: { id: string; decision: 'applied' | 'dismissed'; actor: string }) {
    return this.call(forecastContracts.decideSuggestion, { params: { id }, body });
  }

  /** Imported IP lists and how each one's last refresh went. */
  blocklists() {
    return this.call(defenseContracts.blocklists, {});
  }

  /** Reads a list again now; answers once the read ended (the status says whether it was refused). */
  refreshBlocklist(body: BlocklistRefreshRequest & { actor: string }) {
    return this.call(defenseContracts.refreshBlocklist, { body }, Math.max(this.timeoutMs, 35_000));
  }

  /** Sends a command to hosts of the fleet; answers at once with the command id (follow it with `fleetCommand`). */
  sendFleetCommand(body: FleetCommandRequest & { actor: string; role: Role }) {
    return this.call(fleetCommandContracts.internalSendCommand, { body });
  }

  /** The newest fleet commands, for the fleet page's history. */
  fleetCommands() {
    return this.call(fleetCommandContracts.internalCommands, {});
  }

  fleetCommand(id: string) {
    return this.call(fleetCommandContracts.internalCommand, { params: { id } });
  }
}
