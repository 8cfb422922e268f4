import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { IntegrityConfig } from '@/lib/config/integrity-config';
import type { IntegrityFinding, IntegrityStatus, RebaselineRequest } from '@/lib/integrity/integrity-status';
import type { Logger } from '../log';
import { walkTree } from '../recovery';
import { loadBaseline, saveBaseline, type Baseline } from './baseline-store';
import { evaluatePath } from './compare';
import { observePath } from './file-state';
import { reconcileScan } from './reconcile-scan';
import { reportFindings, type AuditSink } from './finding-reporter';
import { scanScopes, type ScanResult } from './scan';
import { configuredScopes, ScopeSet } from './scopes';
import { TreeWatcher } from './tree-watcher';

const RECENT_FINDINGS = 100;
const MAX_WATCHED_DIRECTORIES = 4096;
export const BASELINE_FILE = 'integrity-baseline.json';

export interface FileIntegrityOptions {
  dataDir: string;
  config: () => IntegrityConfig;
  /** Where Vigil's own code and config file are; null leaves them unwatched whatever the config says. */
  self: { repoRoot: string; configFile: string } | null;
  audit: AuditSink;
  log: Logger;
  onFinding?: (finding: IntegrityFinding) => void;
  onCriticalTamper?: (finding: IntegrityFinding) => void;
  /** The newest findings from the audit trail (oldest first), so a restart keeps the list beside the count of paths that differ. */
  history?: (take: number) => Promise<IntegrityFinding[]>;
}

/**
 * File integrity monitoring in the manner of AIDE and Tripwire: a baseline of SHA-256 and
 * metadata, realtime checks of what the kernel says changed, and full scans on a schedule
 * for what a watch cannot see (changes while Vigil was down, lost events, full queues).
 */
export class FileIntegrity {
  private scopes: ScopeSet;
  private baseline: Baseline | null = null;
  private watcher: TreeWatcher | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private scanTimer: NodeJS.Timeout | null = null;
  private nextScanAt: Date | null = null;
  private lastScan: IntegrityStatus['lastScan'] = null;
  private scanning = false;
  private lastError: string | null = null;
  private recent: IntegrityFinding[] = [];
  private stopped = false;
  /** Scopes and realtime switch of the last scan, so an unrelated config edit costs nothing. */
  private appliedSignature = '';
  private readonly file: string;

  constructor(private readonly options: FileIntegrityOptions) {
    this.file = path.join(options.dataDir, BASELINE_FILE);
    this.scopes = this.buildScopes();
  }

  /** Loads the baseline and runs the first scan (which baselines what was never seen). */
  async start(): Promise<void> {
    await this.exclusive(async () => {
      await mkdir(this.options.dataDir, { recursive: true, mode: 0o750 });
      const loaded = await loadBaseline(this.file);
      if (loaded.status === 'ok') this.baseline = loaded.baseline;
      if (loaded.status === 'unreadable') {
        // A baseline that cannot be read may have been tampered with itself: say so loudly, then start afresh.
        this.options.log.error({ file: this.file, reason: loaded.reason }, 'integrity baseline is unreadable; creating a new one');
        await this.audit({ type: 'integrity.baseline_unreadable', severity: 'high', action: 'discard unreadable baseline', reason: loaded.reason });
      }
      // A baseline file from before the list was kept with it: the audit trail has the findings too.
      if (this.baseline) this.recent = this.baseline.recent ?? (await this.readHistory());
    });
    await this.scan();
  }

  /** Re-reads the `integrity:` section: new roots are baselined, removed ones forgotten. */
  reconfigure(): Promise<void> {
    const next = this.buildScopes();
    // Any edit of the config file lands here; only one that touches this section costs a scan.
    if (this.signature(next) === this.appliedSignature) return Promise.resolve();
    this.scopes = next;
    return this.scan().then(() => undefined);
  }

  scan(): Promise<IntegrityStatus['lastScan']> {
    return this.exclusive(async () => {
      this.scanning = true;
      const started = Date.now();
      try {
        // Nothing registered and nothing baselined yet: no baseline file, no audit event, no watch.
        if (this.scopes.scopes.length === 0 && !this.baseline) return this.lastScan;
        const result = await scanScopes(this.scopes);
        const baseline = this.baseline ?? (await this.createBaseline(result));
        const findings = reconcileScan({ baseline, result, scopes: this.scopes });
        await this.commit(findings);
        this.watch(result);
        this.appliedSignature = this.signature(this.scopes);
        this.lastScan = {
          at: new Date(started).toISOString(),
          durationMs: Date.now() - started,
          files: result.files.size,
          bytes: result.bytes,
          findings: findings.length,
        };
        this.lastError = null;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.options.log.error({ err: error }, 'integrity scan failed');
      } finally {
        this.scanning = false;
        this.schedule();
      }
      return this.lastScan;
    });
  }

  /** An administrator accepts the files as they are now as the new trusted state. */
  rebaseline(request: RebaselineRequest): Promise<IntegrityStatus> {
    return this.exclusive(async () => {
      const result = await scanScopes(this.scopes);
      const cleared = this.baseline?.reported.size ?? 0;
      this.baseline = { createdAt: new Date().toISOString(), scopes: this.scopes.scopes.map((s) => s.key), files: result.files, reported: new Map() };
      await this.saveBaseline(this.baseline);
      this.watch(result);
      await this.audit({
        type: 'integrity.rebaselined',
        severity: 'notice',
        actor: request.actor,
        action: 're-baseline file integrity',
        reason: request.reason,
        method: 'operator',
        details: { files: result.files.size, outstandingCleared: cleared },
      });
      return this.status();
    });
  }

  status(): IntegrityStatus {
    const created = this.baseline ? new Date(this.baseline.createdAt) : null;
    return {
      enabled: this.scopes.scopes.length > 0,
      realtime: this.watcher?.status() ?? { active: false, directories: 0, note: this.options.config().realtime ? null : 'turned off in the configuration' },
      filesWatched: this.baseline?.files.size ?? 0,
      roots: this.scopes.scopes.map((scope) => ({ path: scope.root, critical: scope.critical })),
      baselineCreatedAt: created?.toISOString() ?? null,
      baselineAgeMs: created ? Date.now() - created.getTime() : null,
      lastScan: this.lastScan,
      scanning: this.scanning,
      nextScanAt: this.nextScanAt?.toISOString() ?? null,
      outstanding: this.baseline?.reported.size ?? 0,
      recentFindings: [...this.recent].reverse(),
      lastError: this.lastError,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.watcher?.close();
    this.watcher = null;
    await this.queue.catch(() => undefined);
  }

  /** Checks the paths a watch reported (files, or directories created or removed). */
  checkPaths(paths: Iterable<string>): Promise<void> {
    return this.exclusive(async () => {
      const baseline = this.baseline;
      if (!baseline) return;
      const candidates = new Set<string>();
      for (const abs of paths) await this.expand(abs, baseline, candidates);
      const at = new Date();
      const findings: IntegrityFinding[] = [];
      for (const abs of candidates) {
        if (this.scopes.covering(abs).length === 0) continue;
        const finding = evaluatePath({ baseline, path: abs, current: await observePath(abs), critical: this.scopes.isCritical(abs), via: 'watch', at });
        if (finding) findings.push(finding);
      }
      // Nothing new (an editor's temporary file, a touch): the baseline file stays as it is.
      if (findings.length > 0) await this.commit(findings);
    }).catch((error: unknown) => this.options.log.error({ err: error }, 'integrity check failed'));
  }

  /** A path a watch named, plus (for a directory) what is under it now and what the baseline had there. */
  private async expand(abs: string, baseline: Baseline, into: Set<string>): Promise<void> {
    into.add(abs);
    const prefix = `${abs}/`;
    for (const known of [...baseline.files.keys(), ...baseline.reported.keys()]) if (known.startsWith(prefix)) into.add(known);
    const stats = await lstat(abs).catch(() => null);
    if (!stats?.isDirectory() || !this.scopes.reaches(abs)) return;
    const { entries } = await walkTree(abs).catch(() => ({ entries: [] }));
    for (const entry of entries) if (entry.type !== 'dir') into.add(entry.abs);
    this.watcher?.add(entries.filter((entry) => entry.type === 'dir' && this.scopes.reaches(entry.abs)).map((entry) => entry.abs));
  }

  /** Audit first, then the baseline file: after a crash in between, a finding is reported twice, never lost. */
  private async commit(findings: IntegrityFinding[]): Promise<void> {
    if (findings.length > 0) {
      await reportFindings(findings, this.options);
      this.recent.push(...findings);
      this.recent.splice(0, Math.max(0, this.recent.length - RECENT_FINDINGS));
    }
    if (this.baseline) await this.saveBaseline(this.baseline);
  }

  /** The recent findings go with the baseline, in the same atomic write as the paths they made differ. */
  private saveBaseline(baseline: Baseline): Promise<void> {
    baseline.recent = [...this.recent];
    return saveBaseline(this.file, baseline);
  }

  private async readHistory(): Promise<IntegrityFinding[]> {
    try {
      return (await this.options.history?.(RECENT_FINDINGS)) ?? [];
    } catch (error) {
      this.options.log.warn({ err: error }, 'past integrity findings could not be read');
      return [];
    }
  }

  private async createBaseline(result: ScanResult): Promise<Baseline> {
    this.baseline = { createdAt: new Date().toISOString(), scopes: this.scopes.scopes.map((s) => s.key), files: new Map(result.files), reported: new Map() };
    await this.audit({
      type: 'integrity.baseline_created',
      severity: 'info',
      action: 'create file integrity baseline',
      details: { files: result.files.size, roots: this.scopes.scopes.map((s) => s.root) },
    });
    return this.baseline;
  }

  private watch(result: ScanResult): void {
    const config = this.options.config();
    if (!config.realtime || this.stopped) {
      this.watcher?.close();
      this.watcher = null;
      return;
    }
    this.watcher ??= new TreeWatcher({
      debounceMs: config.debounceMs,
      maxDirectories: MAX_WATCHED_DIRECTORIES,
      onChanges: (paths) => void this.checkPaths(paths),
      relevant: (abs) => this.scopes.reaches(abs) || this.scopes.covering(abs).length > 0,
    });
    // A root that is a file (or missing) is watched through its parent directory.
    const parents = this.scopes.scopes.filter((scope) => !result.directories.includes(scope.root)).map((scope) => path.dirname(scope.root));
    this.watcher.sync([...result.directories, ...parents]);
  }

  private schedule(): void {
    if (this.scanTimer) clearTimeout(this.scanTimer);
    if (this.stopped) return;
    const everyMs = this.options.config().scanIntervalMinutes * 60_000;
    this.nextScanAt = new Date(Date.now() + everyMs);
    this.scanTimer = setTimeout(() => void this.scan(), everyMs);
    this.scanTimer.unref();
  }

  private signature(scopes: ScopeSet): string {
    return JSON.stringify([scopes.scopes.map((scope) => scope.key), this.options.config().realtime]);
  }

  private buildScopes(): ScopeSet {
    return new ScopeSet(configuredScopes(this.options.config(), this.options.self), this.options.dataDir);
  }

  private async audit(event: {
    type: string;
    severity: 'info' | 'notice' | 'high';
    action: string;
    actor?: string;
    reason?: string;
    method?: string;
    details?: Record<string, string | number | string[]>;
  }): Promise<void> {
    await this.options.audit
      .append({ actor: 'system', module: 'integrity', ...event })
      .catch((error: unknown) => this.options.log.error({ err: error, type: event.type }, 'could not audit'));
  }

  /** One operation at a time: a realtime check never interleaves with a scan or a re-baseline. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
