import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bouncerStatus,
  bouncerVersionOf,
  DEFAULT_PULL_INTERVAL_MS,
  isOverdue,
  nextIntervalEstimate,
  STALE_AFTER_INTERVALS,
  type BouncerView,
} from '@/lib/defense/bouncers';
import type { AuditWriter } from '../audit';
import { sha256Hex } from '../auth/keys';
import type { Database } from '../db/client';
import { pathOf } from '../http/fast-path';
import type { Logger } from '../log';
import { listBouncers, saveBouncerPulls, type BouncerPullState, type BouncerRow } from '../queries/bouncers';

export const DECISION_STREAM_PATH = '/api/v1/decisions/stream';

/** Pull counts are stored in a 32-bit column; a bouncer that outgrows it stays at the maximum. */
const MAX_DELIVERED = 2_147_483_647;

interface Tracked {
  name: string;
  tokenId: string;
  tokenHash: string;
  createdAt: Date;
  revoked: boolean;
  address: string | null;
  version: string | null;
  /** The User-Agent `version` was read from: a bouncer sends the same one with every pull. */
  userAgent?: string;
  lastPullAt: number | null;
  lastStatus: number | null;
  delivered: number;
  intervalMs: number | null;
  stale: boolean;
  /** Its latest pull came to this worker, not from another replica's write. */
  seenHere: boolean;
  /** Its latest pull was a start-up pull (`startup=true`): the gap after it says nothing of its interval. */
  startedPulling?: boolean;
}

/** A pull with `startup=true`: a bouncer (re)starting, which then pulls deltas at its own pace. */
const isStartupPull = (url: string | undefined) => /[?&]startup=true(&|$)/.test(url ?? '');

export interface BouncerRegistryOptions {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  /** How many decisions the stream's latest poll for this token handed over. */
  deliveredTo: (tokenId: string) => number;
  /** Pull bookkeeping reaches the database this often, in one statement. */
  flushMs?: number;
  /** Bouncers added or revoked by the CLI or the console are read this often. */
  reloadMs?: number;
  checkMs?: number;
  now?: () => number;
}

function streamKeyOf(req: IncomingMessage): string | null {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return bearer ? bearer[1] : null;
}

/**
 * Who pulls the decision stream, as `cscli bouncers list` shows it: address, version, last
 * pull, decisions delivered and the answer it got. It watches the worker's requests rather
 * than sitting in the route, so a pull refused before the route runs (a revoked key: 401)
 * still counts. Pulls are kept in memory and written in batches; a bouncer that misses
 * three of its intervals is stale, audited once when it goes and once when it is back.
 */
export class BouncerRegistry {
  private readonly tracked = new Map<string, Tracked>();
  private readonly byHash = new Map<string, Tracked>();
  private readonly dirty = new Set<string>();
  /** Answers the fast lane gave and recorded (it runs before this listener does). */
  private readonly servedByLane = new WeakSet<ServerResponse>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  private readonly startedAt: number;
  private flushing: Promise<void> | null = null;
  private lastEagerReload = -Infinity;

  constructor(private readonly options: BouncerRegistryOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  async start(): Promise<void> {
    await this.reload();
    const every = (ms: number, task: () => Promise<void> | void) => {
      const timer = setInterval(() => void task(), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.flushMs ?? 5000, () => this.flush());
    every(this.options.reloadMs ?? 5000, () => this.reload());
    every(this.options.checkMs ?? 1000, () => this.checkStale());
  }

  /**
   * A pull the stream's fast lane answered (200) for the token with this SHA-256: recorded here,
   * with the hash and the User-Agent the lane already read, and passed over by `observe`.
   */
  recordServed(tokenHash: string, req: IncomingMessage, res: ServerResponse, userAgent: string | undefined): void {
    this.servedByLane.add(res);
    const bouncer = this.byHash.get(tokenHash);
    if (bouncer) this.recordPull(bouncer, { status: res.statusCode, address: req.socket.remoteAddress ?? null, userAgent, startup: isStartupPull(req.url) });
    else this.reloadSoon();
  }

  /** A request listener on the worker's HTTP server; it only looks at decision-stream pulls. */
  readonly observe = (req: IncomingMessage, res: ServerResponse): void => {
    // Every request passes here, the guard's too: a prefix test first, no allocation.
    if (!req.url?.startsWith(DECISION_STREAM_PATH) || req.method !== 'GET' || pathOf(req.url) !== DECISION_STREAM_PATH) return;
    if (this.servedByLane.has(res)) return;
    const key = streamKeyOf(req);
    if (key === null) return;
    const bouncer = this.byHash.get(sha256Hex(key));
    if (!bouncer) return this.reloadSoon();
    res.once('finish', () =>
      this.recordPull(bouncer, {
        status: res.statusCode,
        address: req.socket.remoteAddress ?? null,
        userAgent: req.headers['user-agent'],
        startup: isStartupPull(req.url),
      }),
    );
  };

  /** A key not known yet may be a bouncer added a moment ago: read them again, at most once a second. */
  private reloadSoon(): void {
    const now = this.now();
    if (now - this.lastEagerReload < 1000) return;
    this.lastEagerReload = now;
    void this.reload();
  }

  recordPull(bouncer: Tracked, pull: { status: number; address: string | null; userAgent: string | undefined; startup?: boolean }): void {
    const now = this.now();
    // The first delta pull may follow a start-up pull at once: that gap is not the bouncer's interval.
    if (bouncer.lastPullAt !== null && !bouncer.startedPulling) {
      const gap = now - bouncer.lastPullAt;
      // A gap longer than stale is an outage, not the bouncer's interval.
      if (gap <= STALE_AFTER_INTERVALS * (bouncer.intervalMs ?? DEFAULT_PULL_INTERVAL_MS)) bouncer.intervalMs = nextIntervalEstimate(bouncer.intervalMs, gap);
    }
    bouncer.lastPullAt = now;
    bouncer.startedPulling = pull.startup === true;
    bouncer.seenHere = true;
    bouncer.lastStatus = pull.status;
    bouncer.address = pull.address;
    if (pull.userAgent === undefined || pull.userAgent !== bouncer.userAgent) bouncer.version = bouncerVersionOf(pull.userAgent);
    bouncer.userAgent = pull.userAgent;
    if (pull.status === 200) bouncer.delivered = Math.min(MAX_DELIVERED, bouncer.delivered + this.options.deliveredTo(bouncer.tokenId));
    if (bouncer.stale) {
      bouncer.stale = false;
      this.auditChange(bouncer, 'defense.bouncer_recovered', `bouncer ${bouncer.name} pulls again`);
    }
    this.dirty.add(bouncer.name);
  }

  /**
   * Flags bouncers overdue by three intervals; a worker that just started gives each that long
   * first. A pull known only from the database (another replica's, or one from before a
   * restart) reached it up to a flush late, so it gets two flushes more before it counts.
   */
  checkStale(): void {
    const now = this.now();
    const flushLag = 2 * (this.options.flushMs ?? 5000);
    for (const bouncer of this.tracked.values()) {
      if (bouncer.stale || bouncer.lastPullAt === null) continue;
      const since = Math.max(bouncer.lastPullAt, this.startedAt) + (bouncer.seenHere ? 0 : flushLag);
      if (!isOverdue({ lastPullAt: since, intervalMs: bouncer.intervalMs }, now)) continue;
      bouncer.stale = true;
      this.dirty.add(bouncer.name);
      this.auditChange(bouncer, 'defense.bouncer_stale', `bouncer ${bouncer.name} stopped pulling`);
    }
  }

  list(): BouncerView[] {
    const now = this.now();
    return [...this.tracked.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((b) => ({
        name: b.name,
        createdAt: b.createdAt.toISOString(),
        address: b.address,
        version: b.version,
        lastPullAt: b.lastPullAt === null ? null : new Date(b.lastPullAt).toISOString(),
        lastStatus: b.lastStatus,
        delivered: b.delivered,
        intervalMs: b.intervalMs,
        status: bouncerStatus(b, now),
        revoked: b.revoked,
      }));
  }

  /** Writes the pulls seen since the last flush; on failure they stay to be written next time. */
  flush(): Promise<void> {
    this.flushing ??= this.writeDirty().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Picks up bouncers added, deleted or revoked elsewhere; what this worker saw of pulls wins over the stored copy. */
  async reload(): Promise<void> {
    let rows: BouncerRow[];
    try {
      rows = await listBouncers(this.options.database);
    } catch (error) {
      this.options.log.warn({ err: error }, 'bouncers could not be read; keeping the ones known');
      return;
    }
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.name);
      const known = this.tracked.get(row.name);
      if (known && known.tokenId === row.tokenId) {
        known.revoked = row.token.revokedAt !== null;
        // Another replica's flush: newer pulls than this worker has seen.
        if (row.lastPullAt && (known.lastPullAt === null || row.lastPullAt.getTime() > known.lastPullAt) && !this.dirty.has(row.name))
          Object.assign(known, fromRow(row));
        continue;
      }
      if (known) this.byHash.delete(known.tokenHash);
      const fresh = fromRow(row);
      this.tracked.set(row.name, fresh);
      this.byHash.set(fresh.tokenHash, fresh);
    }
    for (const [name, bouncer] of this.tracked) {
      if (seen.has(name)) continue;
      this.tracked.delete(name);
      this.byHash.delete(bouncer.tokenHash);
      this.dirty.delete(name);
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.flush();
  }

  private async writeDirty(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch = new Map<string, BouncerPullState>();
    for (const name of this.dirty) {
      const b = this.tracked.get(name);
      if (b?.lastPullAt != null)
        batch.set(name, {
          address: b.address,
          version: b.version,
          lastPullAt: new Date(b.lastPullAt),
          lastStatus: b.lastStatus ?? 0,
          delivered: b.delivered,
          intervalMs: b.intervalMs,
          stale: b.stale,
        });
    }
    this.dirty.clear();
    try {
      await saveBouncerPulls(this.options.database, batch);
    } catch (error) {
      for (const name of batch.keys()) this.dirty.add(name);
      this.options.log.warn({ err: error, bouncers: batch.size }, 'bouncer pulls could not be saved; retrying with the next batch');
    }
  }

  private auditChange(bouncer: Tracked, type: 'defense.bouncer_stale' | 'defense.bouncer_recovered', action: string): void {
    const details = {
      bouncer: bouncer.name,
      address: bouncer.address,
      version: bouncer.version,
      intervalMs: bouncer.intervalMs ?? DEFAULT_PULL_INTERVAL_MS,
      lastPullAt: bouncer.lastPullAt === null ? null : new Date(bouncer.lastPullAt).toISOString(),
    };
    void this.options.audit
      .append({
        type,
        severity: type === 'defense.bouncer_stale' ? 'warning' : 'info',
        actor: 'system',
        action,
        module: 'defense',
        resource: `bouncer:${bouncer.name}`,
        method: 'decision stream',
        details,
      })
      .catch((error: unknown) => this.options.log.error({ err: error, type }, 'bouncer event could not be audited'));
  }
}

function fromRow(row: BouncerRow): Tracked {
  return {
    name: row.name,
    tokenId: row.tokenId,
    tokenHash: row.token.tokenHash,
    createdAt: row.createdAt,
    revoked: row.token.revokedAt !== null,
    address: row.address,
    version: row.version,
    lastPullAt: row.lastPullAt?.getTime() ?? null,
    lastStatus: row.lastStatus,
    delivered: row.delivered,
    intervalMs: row.intervalMs,
    stale: row.stale,
    seenHere: false,
  };
}
