import type { KeyObject } from 'node:crypto';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { FLEET_QUERY_EVENT, fleetQueryAnswerSchema, type FleetQuery, type HostSection, type HostSectionView } from '@/lib/fleet/fleet-query-api';
import type { Logger } from '../log';
import { findHost, LOCAL_HOST_ID } from '../queries/hosts';
import type { Database } from '../db/client';
import type { FleetCommandServices } from './fleet-command-runner';
import { FleetError } from './fleet-error';
import { MAX_QUERY_ANSWER_BYTES } from './fleet-query-agent';
import { readHostSection } from './fleet-query-sections';
import { signQuery } from './fleet-query-signing';
import { newNonce } from './fleet-signing';

/** How long an operator waits for an agent before the last answer (or a 503) comes instead. */
export const QUERY_TIMEOUT_MS = 5_000;
/** Last answers kept, over every host and section: the oldest goes first. */
const MAX_KEPT_ANSWERS = 1_000;
/** A 503 says to ask again after this many seconds: about an agent's reconnect delay. */
const RETRY_AFTER_SECONDS = 5;

export interface HostSectionReaderDeps {
  database: Database;
  log: Logger;
  consoleKey: KeyObject;
  /** The live socket of a connected agent, if any. */
  socketOf: (hostId: number) => Socket | undefined;
  /** Host 1 is this worker: its views are read from its own services, once they exist. */
  localServices: () => FleetCommandServices | null;
  /** What each section's data must look like: the local routes' response schemas. */
  schemas: Record<HostSection, z.ZodType>;
  timeoutMs?: number;
}

type Kept = { asOf: string; data: unknown };

const unreachable = (message: string) => new FleetError('host_unreachable', message, { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } });

/**
 * The console's read-only view of any host: asked of its agent over the signed fleet channel, with
 * a timeout and a bound on the answer, checked against the same schema as the local route's answer.
 * The last good answer per host and section is kept (bounded) and served, marked not live, while
 * the agent is away; with none kept, a 503 says when to try again.
 */
export class HostSectionReader {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly deps: HostSectionReaderDeps) {}

  async read(hostId: number, section: HostSection): Promise<HostSectionView> {
    if (hostId === LOCAL_HOST_ID) {
      const services = this.deps.localServices();
      if (!services) throw new FleetError('fleet_unavailable', 'the console is still starting');
      return { hostId, section, asOf: new Date().toISOString(), live: true, data: await readHostSection(services, section) };
    }
    const host = await findHost(this.deps.database.prisma, hostId);
    if (!host) throw new FleetError('host_not_found', `no enrolled host ${hostId}`);
    const socket = host.revokedAt ? undefined : this.deps.socketOf(hostId);
    if (!socket) return this.lastAnswer(hostId, section, `${host.name} is not connected`);
    let data: unknown;
    try {
      data = await this.ask(socket, hostId, section);
    } catch (error) {
      if (error instanceof FleetError) throw error;
      return this.lastAnswer(hostId, section, `${host.name} did not answer: ${(error as Error).message}`);
    }
    const view = { hostId, section, asOf: new Date().toISOString(), live: true, data };
    this.keep(`${hostId}:${section}`, { asOf: view.asOf, data });
    return view;
  }

  private async ask(socket: Socket, hostId: number, section: HostSection): Promise<unknown> {
    const timeoutMs = this.deps.timeoutMs ?? QUERY_TIMEOUT_MS;
    const now = Date.now();
    const query: FleetQuery = {
      nonce: newNonce(),
      hostId,
      section,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + timeoutMs).toISOString(),
    };
    const raw = await new Promise<unknown>((resolve, reject) => {
      // A socket that drops while the answer is on its way (an oversized message does that) ends the wait at once.
      const dropped = () => reject(new Error('the connection dropped'));
      socket.once('disconnect', dropped);
      socket
        .timeout(timeoutMs)
        .emitWithAck(FLEET_QUERY_EVENT, { query, signature: signQuery(this.deps.consoleKey, query) })
        .then(resolve, () => reject(new Error(`no answer within ${timeoutMs} ms`)))
        .finally(() => socket.off('disconnect', dropped));
    });
    const invalid = (why: string) => {
      this.deps.log.warn({ hostId, section, why }, 'a fleet agent answered a query with an invalid view');
      return new FleetError('host_answer_invalid', `host ${hostId} answered its ${section} with ${why}`);
    };
    const size = JSON.stringify(raw ?? null).length;
    if (size > MAX_QUERY_ANSWER_BYTES) throw invalid(`${size} bytes, more than ${MAX_QUERY_ANSWER_BYTES}`);
    const answer = fleetQueryAnswerSchema.safeParse(raw);
    if (!answer.success) throw invalid('a malformed answer');
    if (!answer.data.ok) throw new FleetError('host_answer_refused', `host ${hostId} could not give its ${section}: ${answer.data.error}`);
    const data = this.deps.schemas[section].safeParse(answer.data.data);
    if (!data.success)
      throw invalid(`a view that is not a ${section} view (${data.error.issues[0]?.path.join('.') || 'root'}: ${data.error.issues[0]?.message})`);
    return data.data;
  }

  private lastAnswer(hostId: number, section: HostSection, why: string): HostSectionView {
    const kept = this.kept.get(`${hostId}:${section}`);
    if (!kept) throw unreachable(`${why}, and the console has no earlier ${section} of host ${hostId}`);
    return { hostId, section, asOf: kept.asOf, live: false, data: kept.data };
  }

  private keep(key: string, kept: Kept): void {
    this.kept.delete(key);
    this.kept.set(key, kept);
    if (this.kept.size > MAX_KEPT_ANSWERS) this.kept.delete(this.kept.keys().next().value!);
  }
}
