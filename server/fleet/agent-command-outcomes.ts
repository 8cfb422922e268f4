import { DURABLE_FLEET_COMMAND_TTL_MS } from '@/lib/fleet/fleet-actions';
import type { FleetCommandStep } from './fleet-command-runner';

/** The console sends a durable command again, while unanswered, until it expires: a day at most. */
const REMEMBERED_FOR_MS = DURABLE_FLEET_COMMAND_TTL_MS;
/** Far above what an operator's rate limit lets through in a day; beyond it the oldest are forgotten first. */
const MAX_REMEMBERED = 10_000;

/** A command seen before: its final step once it has one, null while it is still being carried out. */
export type EarlierOutcome = { final: FleetCommandStep | null };

/**
 * The operator commands this agent carried out, by command id. The console sends a command again
 * (with a new nonce) when its answer did not come back; the agent then answers with the outcome it
 * recorded instead of carrying it out a second time. Kept in memory: after a restart the durable
 * kinds, which are the only ones sent again, find their state already in place.
 */
export class AgentCommandOutcomes {
  private readonly seen = new Map<string, { final: FleetCommandStep | null; forgetAtMs: number }>();

  /** null the first time `commandId` is seen (it is then being carried out); otherwise what happened to it. */
  begin(commandId: string, nowMs = Date.now()): EarlierOutcome | null {
    this.forgetExpired(nowMs);
    const earlier = this.seen.get(commandId);
    if (earlier) return { final: earlier.final };
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(commandId, { final: null, forgetAtMs: nowMs + REMEMBERED_FOR_MS });
    return null;
  }

  /** Records the final step of a command begun here. */
  settle(commandId: string, step: FleetCommandStep): void {
    const entry = this.seen.get(commandId);
    if (entry) entry.final = step;
  }

  private forgetExpired(nowMs: number): void {
    // Insertion order is expiry order: the first one still remembered ends the sweep.
    for (const [commandId, { forgetAtMs }] of this.seen) {
      if (forgetAtMs > nowMs) break;
      this.seen.delete(commandId);
    }
  }
}
