import { codedError } from '@/lib/errors';
import type { VigilConfig } from '@/lib/config/config-schema';
import { listGraceMs, type BlocklistSource } from '@/lib/defense/blocklist-config';
import type { BlocklistStatus } from '@/lib/defense/blocklist-api';
import type { AuditWriter } from '../../audit';
import type { Logger } from '../../log';
import type { Allowlist } from '../allowlist';
import { carveExclusions } from './ip-list-exclusions';
import type { IpListState } from './ip-list-state';
import type { IpListKeeper } from './ip-list-keeper';
import { IpListSourceError, readIpList } from './ip-list-source';

/** A list source has this long to answer in full; the largest public lists take a few seconds. */
const FETCH_TIMEOUT_MS = 30_000;

export interface IpListServiceOptions {
  state: IpListState;
  allowlist: Allowlist;
  audit: AuditWriter;
  log: Logger;
  config: () => VigilConfig;
  fetchTimeoutMs?: number;
  /** Where the last good read of each list is kept across restarts; none keeps nothing. */
  keeper?: IpListKeeper;
}

const yieldToGuard = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An operator named a list the configuration does not have. */
export class BlocklistNotFoundError extends codedError('BlocklistNotFoundError', { not_found: 404 }) {}

interface Tracked {
  source: BlocklistSource;
  status: BlocklistStatus;
  timer: NodeJS.Timeout | null;
  running: Promise<BlocklistStatus> | null;
}

/**
 * Reads the configured lists on their schedules and hands what they hold to the in-memory state
 * the guard and the bouncers' stream read. A read that fails keeps the previous list in force
 * (until its expiry) and is audited once per attempt, as is each successful refresh.
 */
export class IpListService {
  private readonly tracked = new Map<string, Tracked>();
  private closed = false;

  constructor(private readonly options: IpListServiceOptions) {}

  start(): void {
    this.reconfigure();
  }

  /** After the configuration file changed: new lists are read now, removed ones withdrawn. */
  reconfigure(): void {
    if (this.closed) return;
    const wanted = new Map(this.options.config().defense.blocklists.map((source) => [source.name, source]));
    for (const [name, tracked] of this.tracked) {
      if (sameSource(wanted.get(name), tracked.source)) continue;
      if (tracked.timer) clearTimeout(tracked.timer);
      this.tracked.delete(name);
      if (!wanted.has(name))
        void this.options.keeper
          ?.forget(name)
          .catch((error: Error) => this.options.log.warn({ err: error.message, list: name }, 'a removed blocklist could not be forgotten'));
    }
    for (const name of this.options.state.names()) if (!wanted.has(name)) this.options.state.remove(name);
    this.carveNewExclusions();
    for (const [name, source] of wanted) {
      if (this.tracked.has(name)) continue;
      this.tracked.set(name, { source, status: initialStatus(source), timer: null, running: null });
      void this.restoreThenRefresh(name);
    }
  }

  /**
   * Addresses newly allowlisted or trusted in the file are cut out of the lists in force at once,
   * so bouncers drop them too (the guard lets the allowlist through anyway). Cutting is all that
   * can be done without the source: addresses taken off the allowlist come back at the next refresh.
   */
  private carveNewExclusions(): void {
    const excluded = this.excludedSources();
    for (const { source, status } of this.tracked.values()) {
      const enforced = this.options.state.enforced(source.name);
      if (!enforced) continue;
      const carved = carveExclusions({ ...enforced.intervals, entries: 0 }, excluded);
      if (carved.excluded === 0) continue;
      const change = this.options.state.replace(source.name, carved.intervals, enforced.expiresAtMs);
      Object.assign(status, {
        intervals: carved.intervals.v4.length + carved.intervals.v6.length,
        ranges: change.ranges,
        excluded: status.excluded + carved.excluded,
      });
    }
  }

  private excludedSources(): string[] {
    return [...this.options.allowlist.entries().map((entry) => entry.source), ...this.options.config().trustedProxies];
  }

  statuses(): BlocklistStatus[] {
    return Array.from(this.tracked.values(), (tracked) => ({ ...tracked.status }));
  }

  /** An operator's "refresh now"; a refresh already running is joined, not doubled. */
  async refreshNow(input: { name: string; actor: string; reason?: string }): Promise<BlocklistStatus> {
    if (!this.tracked.has(input.name)) throw new BlocklistNotFoundError('not_found', `no blocklist named "${input.name}" is configured`);
    return this.refresh(input.name, { actor: input.actor, method: 'operator', reason: input.reason });
  }

  close(): void {
    this.closed = true;
    for (const tracked of this.tracked.values()) if (tracked.timer) clearTimeout(tracked.timer);
  }

  /**
   * A restart does not drop a list: the read kept before it is enforced again at once, until the
   * expiry it had, and the source is read as usual; an unreachable source keeps the kept list.
   */
  private async restoreThenRefresh(name: string): Promise<void> {
    const tracked = this.tracked.get(name)!;
    const kept = await this.options.keeper
      ?.load(tracked.source, { now: Date.now(), timeoutMs: this.options.fetchTimeoutMs ?? FETCH_TIMEOUT_MS })
      .catch((error: Error) => {
        this.options.log.warn({ err: error.message, list: name }, 'the kept copy of a blocklist could not be read; the source is read instead');
        return null;
      });
    if (kept && this.tracked.get(name) === tracked && tracked.status.lastRefreshAt === null) {
      const carved = carveExclusions({ ...kept.intervals, entries: kept.entries }, this.excludedSources());
      const change = this.options.state.replace(name, carved.intervals, kept.expiresAtMs);
      Object.assign(tracked.status, {
        entries: kept.entries,
        intervals: carved.intervals.v4.length + carved.intervals.v6.length,
        ranges: change.ranges,
        excluded: kept.excluded + carved.excluded,
        lastRefreshAt: kept.readAt,
        expiresAt: new Date(kept.expiresAtMs).toISOString(),
      });
    }
    if (this.tracked.get(name) === tracked) await this.refresh(name, { actor: 'system', method: 'schedule' });
  }

  private refresh(name: string, by: { actor: string; method: 'schedule' | 'operator'; reason?: string }): Promise<BlocklistStatus> {
    const tracked = this.tracked.get(name)!;
    tracked.running ??= this.runRefresh(tracked, by).finally(() => {
      tracked.running = null;
      tracked.status.refreshing = false;
    });
    return tracked.running;
  }

  private async runRefresh(tracked: Tracked, by: { actor: string; method: 'schedule' | 'operator'; reason?: string }): Promise<BlocklistStatus> {
    const { source, status } = tracked;
    if (tracked.timer) clearTimeout(tracked.timer);
    status.refreshing = true;
    const started = Date.now();
    try {
      const parsed = await readIpList(source, { timeoutMs: this.options.fetchTimeoutMs ?? FETCH_TIMEOUT_MS });
      // Withdrawn from the configuration while it was read: nothing to enforce any more.
      if (this.tracked.get(source.name) !== tracked) return { ...status };
      // A million-entry list takes a few hundred milliseconds per step: guard checks that arrived meanwhile go first.
      await yieldToGuard();
      const carved = carveExclusions(parsed, this.excludedSources());
      await yieldToGuard();
      if (this.tracked.get(source.name) !== tracked) return { ...status };
      const now = Date.now();
      const expiresAtMs = now + source.refreshMinutes * 60_000 + listGraceMs(source.refreshMinutes);
      const change = this.options.state.replace(source.name, carved.intervals, expiresAtMs);
      Object.assign(status, {
        entries: parsed.entries,
        intervals: carved.intervals.v4.length + carved.intervals.v6.length,
        ranges: change.ranges,
        excluded: carved.excluded,
        lastRefreshAt: new Date(now).toISOString(),
        expiresAt: new Date(expiresAtMs).toISOString(),
        lastError: null,
      });
      await this.options.keeper
        ?.save(source, { intervals: carved.intervals, entries: parsed.entries, excluded: carved.excluded, readAt: status.lastRefreshAt!, expiresAtMs })
        .catch((error: Error) => this.options.log.warn({ err: error.message, list: source.name }, 'the blocklist could not be kept for the next start'));
      await this.audit({
        type: 'defense.blocklist_refreshed',
        severity: 'info',
        by,
        source,
        details: {
          entries: parsed.entries,
          intervals: status.intervals,
          ranges: change.ranges,
          excluded: carved.excluded,
          added: change.added,
          removed: change.removed,
          ms: now - started,
        },
      });
    } catch (error) {
      if (!(error instanceof IpListSourceError))
        this.options.log.error({ err: (error as Error).message, list: source.name }, 'blocklist refresh failed unexpectedly');
      const message = error instanceof IpListSourceError ? error.message : 'unexpected failure; see the worker log';
      status.lastError = { at: new Date().toISOString(), message };
      await this.audit({
        type: 'defense.blocklist_refresh_failed',
        severity: 'warning',
        by,
        source,
        reason: `${message}; the previous list stays in force until it expires`,
        details: { kept: status.lastRefreshAt !== null },
      });
    } finally {
      this.schedule(tracked);
    }
    return { ...status };
  }

  private schedule(tracked: Tracked): void {
    if (this.closed || this.tracked.get(tracked.source.name) !== tracked) return;
    const delay = tracked.source.refreshMinutes * 60_000;
    tracked.status.nextRefreshAt = new Date(Date.now() + delay).toISOString();
    tracked.timer = setTimeout(() => void this.refresh(tracked.source.name, { actor: 'system', method: 'schedule' }), delay);
    tracked.timer.unref();
  }

  private async audit(event: {
    type: string;
    severity: 'info' | 'warning';
    by: { actor: string; method: string; reason?: string };
    source: BlocklistSource;
    reason?: string;
    details: Record<string, number | boolean>;
  }): Promise<void> {
    const { by, source } = event;
    await this.options.audit
      .append({
        type: event.type,
        severity: event.severity,
        actor: by.actor,
        action: `refresh blocklist ${source.name}`,
        module: 'defense',
        resource: `blocklist:${source.name}`,
        reason: event.reason ?? by.reason ?? null,
        method: by.method,
        details: { ...event.details, source: displaySource(source) },
      })
      .catch((error: unknown) => this.options.log.warn({ err: (error as Error).message, list: source.name }, 'blocklist refresh not audited'));
  }
}

/** A URL without its credentials or query, where list providers put API keys. */
function displaySource(source: BlocklistSource): string {
  if (source.url === undefined) return source.path ?? '';
  const url = new URL(source.url);
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}

const sameSource = (a: BlocklistSource | undefined, b: BlocklistSource): boolean =>
  a !== undefined && a.url === b.url && a.path === b.path && a.refreshMinutes === b.refreshMinutes;

function initialStatus(source: BlocklistSource): BlocklistStatus {
  return {
    name: source.name,
    source: displaySource(source),
    kind: source.url !== undefined ? 'url' : 'file',
    refreshMinutes: source.refreshMinutes,
    entries: 0,
    intervals: 0,
    ranges: 0,
    excluded: 0,
    lastRefreshAt: null,
    nextRefreshAt: null,
    expiresAt: null,
    refreshing: true,
    lastError: null,
  };
}
