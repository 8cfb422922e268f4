import { signedFleetQuerySchema, type FleetQueryAnswer } from '@/lib/fleet/fleet-query-api';
import type { Logger } from '../log';
import type { FleetCommandServices } from './fleet-command-runner';
import { readHostSection } from './fleet-query-sections';
import { querySignedBy } from './fleet-query-signing';
import { ReplayGuard } from './fleet-signing';

/** Well under socket.io's 1 MB message limit: a view this large is refused here rather than cut off on the way. */
export const MAX_QUERY_ANSWER_BYTES = 512 * 1024;
/** A query stamped further ahead than this was not made by a clock we agree with. */
const CLOCK_SKEW_MS = 30_000;

export interface FleetQueryResponderDeps {
  consolePublicKey: string;
  hostId: number;
  services: Pick<FleetCommandServices, 'defense' | 'healing' | 'recovery'>;
  log: Logger;
}

/**
 * The agent's answers to the console's read-only queries: only a query signed by the console it
 * enrolled with, addressed to this host, unexpired and not seen before gets this host's view.
 */
export class FleetQueryResponder {
  private readonly replay = new ReplayGuard();

  constructor(private readonly deps: FleetQueryResponderDeps) {}

  /** `ack` is socket.io's acknowledgement; a query without one has nobody to answer and is dropped. */
  async answer(raw: unknown, ack: unknown): Promise<void> {
    if (typeof ack !== 'function') return;
    (ack as (answer: FleetQueryAnswer) => void)(await this.answerFor(raw));
  }

  private async answerFor(raw: unknown): Promise<FleetQueryAnswer> {
    const { services, log } = this.deps;
    const refusal = this.refusal(raw);
    if (refusal) {
      log.warn({ refusal }, 'refused a fleet query');
      return { ok: false, error: `refused: ${refusal}` };
    }
    const { section } = signedFleetQuerySchema.parse(raw).query;
    try {
      const data = await readHostSection(services, section);
      if (JSON.stringify(data).length > MAX_QUERY_ANSWER_BYTES)
        return { ok: false, error: `the ${section} view is larger than ${MAX_QUERY_ANSWER_BYTES} bytes` };
      return { ok: true, data };
    } catch (error) {
      log.warn({ section, err: (error as Error).message }, 'could not answer a fleet query');
      return { ok: false, error: `${section}: ${(error as Error).message}`.slice(0, 2000) };
    }
  }

  private refusal(raw: unknown): string | null {
    const parsed = signedFleetQuerySchema.safeParse(raw);
    if (!parsed.success) return 'malformed';
    const { query, signature } = parsed.data;
    const nowMs = Date.now();
    if (!querySignedBy(this.deps.consolePublicKey, query, signature)) return 'not signed by the enrolled console';
    if (query.hostId !== this.deps.hostId) return `addressed to host ${query.hostId}`;
    const expiresAtMs = Date.parse(query.expiresAt);
    if (!(expiresAtMs > nowMs)) return 'expired';
    if (!(Date.parse(query.issuedAt) <= nowMs + CLOCK_SKEW_MS)) return 'issued in the future';
    if (!this.replay.accept(query.nonce, expiresAtMs, nowMs)) return 'replayed';
    return null;
  }
}
