import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import {
  FLEET_CONFIG_EVENTS,
  fleetConfigContentSchema,
  signedFleetConfigPushSchema,
  type FleetConfigAck,
  type FleetConfigContent,
  type SignedFleetConfigPush,
} from '@/lib/fleet/fleet-config-api';
import type { AuditWriter } from '../audit';
import type { Logger } from '../log';
import { writeFileAtomic } from '../recovery';
import { agentFilesIn, readAgentIdentity, type AgentIdentity } from './agent-identity';
import { agentPathProblem } from './fleet-config-paths';
import { configPushSignedBy, ReplayGuard } from './fleet-signing';

/** A push stamped further ahead than this was not made by a clock we agree with. */
const CLOCK_SKEW_MS = 30_000;

/** Where the last applied push is kept, signature and all, so a restart without the console runs it again. */
export const pushedConfigFile = (dataDir: string) => path.join(dataDir, 'fleet', 'pushed-config.json');

/** What the agent puts the assigned parts in force with: the configuration watcher's all-or-nothing reload. */
export interface FleetPartsTarget {
  setFleetParts(content: FleetConfigContent | null): unknown;
}

/** Why a push is refused before its content is even read, or null when it came from our console, for us, now, once. */
export function pushRefusal(
  { push, signature }: SignedFleetConfigPush,
  { consoleKey, hostId, replay, nowMs, appliedRevision }: { consoleKey: string; hostId: number; replay: ReplayGuard; nowMs: number; appliedRevision: number },
): string | null {
  if (!configPushSignedBy(consoleKey, push, signature)) return 'not signed by the enrolled console';
  if (push.hostId !== hostId) return `addressed to host ${push.hostId}`;
  const expiresAtMs = Date.parse(push.expiresAt);
  if (!(expiresAtMs > nowMs)) return 'expired';
  if (!(Date.parse(push.issuedAt) <= nowMs + CLOCK_SKEW_MS)) return 'issued in the future';
  // An older revision, even freshly signed, would undo what the console decided since.
  if (push.revision < appliedRevision) return `revision ${push.revision} is older than the applied ${appliedRevision}`;
  // Last: a refused push must not use up its nonce.
  if (!replay.accept(push.nonce, expiresAtMs, nowMs)) return 'replayed';
  return null;
}

/** The content as this host can run it, or the first reason it cannot: the file's schema first, then what only this host knows. */
export function contentOnThisHost(raw: unknown, { dataDir }: { dataDir: string }): { content: FleetConfigContent } | { problem: string } {
  const parsed = fleetConfigContentSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    return { problem: `${issue.path.join('.') || 'content'}: ${issue.message}` };
  }
  const problem = agentPathProblem(parsed.data, dataDir);
  return problem ? { problem } : { content: parsed.data };
}

/** The push kept on disk, if it is still our console's signature over valid content; its expiry no longer matters once applied. */
export function readPushedConfig(
  dataDir: string,
  identity: Pick<AgentIdentity, 'consolePublicKey' | 'hostId'>,
): { revision: number; content: FleetConfigContent } | null {
  let text: string;
  try {
    text = readFileSync(pushedConfigFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const signed = signedFleetConfigPushSchema.safeParse(JSON.parse(text));
    if (!signed.success || signed.data.push.hostId !== identity.hostId) return null;
    if (!configPushSignedBy(identity.consolePublicKey, signed.data.push, signed.data.signature)) return null;
    const content = fleetConfigContentSchema.safeParse(signed.data.push.content);
    return content.success ? { revision: signed.data.push.revision, content: content.data } : null;
  } catch {
    return null;
  }
}

/**
 * The agent's side of configuration from the console: a push is applied only when our console
 * signed it for this host, unexpired, unseen and not older than what runs; its content must pass
 * the file's schema and this host's own path rules, or it is refused whole and the previous
 * parts keep running. Applied pushes are kept (0600, atomically) for the next start.
 */
export class AgentConfigReceiver {
  private readonly replay = new ReplayGuard();
  private appliedRevision: number;
  private appliedContent: FleetConfigContent | null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { identity: AgentIdentity; dataDir: string; config: FleetPartsTarget; audit: AuditWriter; log: Logger }) {
    const kept = readPushedConfig(deps.dataDir, deps.identity);
    this.appliedRevision = kept?.revision ?? 0;
    this.appliedContent = kept?.content ?? null;
  }

  attach(socket: Socket): void {
    socket.on(FLEET_CONFIG_EVENTS.push, (raw: unknown) => {
      // One at a time, in the order they came: two pushes never race to the watcher or the file.
      this.queue = this.queue.then(() => this.receive(raw, (ack) => socket.emit(FLEET_CONFIG_EVENTS.ack, ack)));
    });
  }

  async receive(raw: unknown, answer: (ack: FleetConfigAck) => void): Promise<void> {
    const { identity, dataDir, log } = this.deps;
    const signed = signedFleetConfigPushSchema.safeParse(raw);
    const refusal = signed.success
      ? pushRefusal(signed.data, {
          consoleKey: identity.consolePublicKey,
          hostId: identity.hostId,
          replay: this.replay,
          nowMs: Date.now(),
          appliedRevision: this.appliedRevision,
        })
      : 'malformed';
    // Not from our console, or not for now: nothing is said back, since whoever sent it is not to be answered.
    if (refusal || !signed.success) return this.reject(refusal ?? 'malformed', signed.success ? signed.data.push.revision : null);
    const { push } = signed.data;
    if (push.revision === this.appliedRevision) return answer({ revision: push.revision, ok: true });
    const checked = contentOnThisHost(push.content, { dataDir });
    if ('problem' in checked) {
      await this.reject(checked.problem, push.revision, 'warning');
      return answer({ revision: push.revision, ok: false, reason: checked.problem.slice(0, 2000) });
    }
    const problem = this.apply(checked.content) ?? (await this.keep(signed.data));
    if (problem) {
      await this.reject(problem, push.revision, 'warning');
      return answer({ revision: push.revision, ok: false, reason: problem.slice(0, 2000) });
    }
    this.appliedRevision = push.revision;
    this.appliedContent = checked.content;
    log.info({ revision: push.revision, parts: Object.keys(checked.content) }, 'applied a configuration from the console');
    answer({ revision: push.revision, ok: true });
  }

  /** Puts the parts in force; a failure puts the previous ones back and says why. */
  private apply(content: FleetConfigContent): string | null {
    try {
      this.deps.config.setFleetParts(content);
      return null;
    } catch (error) {
      this.deps.config.setFleetParts(this.appliedContent);
      return `not applied: ${(error as Error).message}`;
    }
  }

  /** Kept for the next start; when it cannot be, the previous parts go back in force, so what runs is what a restart would run. */
  private async keep(signed: SignedFleetConfigPush): Promise<string | null> {
    const file = pushedConfigFile(this.deps.dataDir);
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, JSON.stringify(signed), 0o600);
      return null;
    } catch (error) {
      this.deps.config.setFleetParts(this.appliedContent);
      return `not applied: it could not be kept in ${file}: ${(error as Error).message}`;
    }
  }

  private async reject(reason: string, revision: number | null, severity: 'warning' | 'high' = 'high'): Promise<void> {
    this.deps.log.warn({ reason, revision }, 'refused a configuration from the console');
    await this.deps.audit.append({
      type: 'fleet.config_rejected',
      severity,
      actor: 'fleet:console',
      action: 'refuse configuration',
      module: 'fleet',
      reason,
      method: 'fleet',
      ...(revision !== null && { details: { revision } }),
    });
  }
}

/**
 * At start, before anything reads the configuration: an agent puts the last push it applied back
 * in force, so it runs as the console last configured it even while the console is unreachable.
 */
export function restorePushedConfig(config: FleetPartsTarget, dataDir: string): number | null {
  const identity = readAgentIdentity(agentFilesIn(dataDir));
  const kept = identity ? readPushedConfig(dataDir, identity) : null;
  if (!kept) return null;
  config.setFleetParts(kept.content);
  return kept.revision;
}
