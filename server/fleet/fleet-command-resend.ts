import { DURABLE_FLEET_KINDS, type FleetActionKind } from '@/lib/fleet/fleet-actions';
import type { FleetCommand } from '@/lib/fleet/fleet-api';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { deferFleetCommandResends, dueFleetCommandResends } from '../queries/fleet-commands';
import { LOCAL_HOST_ID } from '../queries/hosts';
import type { FleetHub } from './fleet-hub';

/**
 * An agent answers "accepted" as soon as a command arrives, and a durable command's work (a block,
 * a lockdown) takes moments: a row still without an answer this long after it was sent lost its
 * delivery or its answer on the way, over a connection replaced without a hello the console saw
 * afterwards. Long enough for a loaded console and agent, short next to what an operator waits for.
 */
export const RESEND_AFTER_MS = 5_000;
/** Each further resend waits twice as long, up to this: a host that keeps not answering costs a packet a minute. */
const RESEND_MAX_WAIT_MS = 60_000;
/** How often the rows due are looked for: one indexed query per tick, whatever the fleet's size. */
const RESEND_TICK_MS = 1_000;
/** Rows sent again per tick at most; the rest are the next tick's, the oldest due first. */
const RESEND_BATCH = 200;

/** When a new row is first due for a resend: only a durable command already sent to a remote host. */
export function firstResendAt(kind: string, hostId: number, status: 'pending' | 'sent', nowMs: number): Date | null {
  if (!DURABLE_FLEET_KINDS.has(kind as FleetActionKind) || hostId === LOCAL_HOST_ID || status !== 'sent') return null;
  return new Date(nowMs + RESEND_AFTER_MS);
}

/** The wait after the `resends`-th resend (from 1): doubling from the first wait, capped. */
export function resendWaitMs(resends: number): number {
  return Math.min(RESEND_MAX_WAIT_MS, RESEND_AFTER_MS * 2 ** Math.min(resends, 16));
}

export interface FleetCommandResenderDeps {
  database: Database;
  log: Logger;
  hub: Pick<FleetHub, 'connectedHostIds' | 'sendAction'>;
}

/**
 * Sends a durable command again to a connected host that has not answered it, until the command
 * expires. Each replica resends only to the hosts whose sockets it holds; an agent answers a
 * command it has already carried out with the outcome it recorded, so a resend never runs it twice.
 */
export class FleetCommandResender {
  private timer: NodeJS.Timeout | null = null;
  /** The round under way or the last one: rounds never overlap, a timer's or a caller's. */
  private round: Promise<number> = Promise.resolve(0);
  private busy = false;

  constructor(private readonly deps: FleetCommandResenderDeps) {}

  start(): void {
    this.timer ??= setInterval(() => void (this.busy || this.tick()), RESEND_TICK_MS);
    this.timer.unref();
  }

  /** Resolves once the round under way, if any, is over. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
  }

  /** One round, after the one under way: resolves with how many commands went again. */
  async tick(now = new Date()): Promise<number> {
    const round = this.round.then(() => this.resendDue(now));
    this.round = round;
    this.busy = true;
    try {
      return await round;
    } finally {
      if (this.round === round) this.busy = false;
    }
  }

  private async resendDue(now: Date): Promise<number> {
    const { database, hub, log } = this.deps;
    const hostIds = hub.connectedHostIds().filter((hostId) => hostId !== LOCAL_HOST_ID);
    if (hostIds.length === 0) return 0;
    try {
      const quietSince = new Date(now.getTime() - RESEND_AFTER_MS);
      const due = await dueFleetCommandResends(database.prisma, { hostIds, now, quietSince, durableKinds: [...DURABLE_FLEET_KINDS], take: RESEND_BATCH });
      // Expired ones are not sent: they leave the index, and the next look at the command fails them.
      const live = due.filter((row) => row.command.expiresAt > now);
      await deferFleetCommandResends(
        database.prisma,
        due.filter((row) => row.command.expiresAt <= now),
        null,
      );
      // The next resend is set before this one goes: an answer that comes back at once then ends it for good.
      for (const [resends, rows] of groupBy(live, (row) => row.resends + 1))
        await deferFleetCommandResends(database.prisma, rows, new Date(now.getTime() + resendWaitMs(resends)));
      let sent = 0;
      for (const row of live) {
        if (!hub.sendAction(row.hostId, JSON.parse(row.command.action) as FleetCommand['action'], row.command.expiresAt)) continue;
        const { commandId, hostId, status } = row;
        log.info({ commandId, hostId, kind: row.command.kind, status, resends: row.resends + 1 }, 'sent a fleet command again: the host has not answered it');
        sent++;
      }
      return sent;
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'could not send the unanswered fleet commands again; trying at the next round');
      return 0;
    }
  }
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
