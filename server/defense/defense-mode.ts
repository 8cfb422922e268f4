import { codedError } from '@/lib/errors';
import type { DefenseConfig } from '@/lib/defense/defense-config';
import type { DefenseModeChange, LockdownState, ThreatLevel, DefenseMode } from '@/lib/defense/defense-types';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { deleteSetting, readSetting, writeSetting } from '../queries/settings';

const LOCKDOWN_KEY = 'defense.lockdown';

export type DefenseModeErrorCode = 'not_locked_down' | 'bad_expiry';

export const DEFENSE_MODE_ERROR_STATUS: Record<DefenseModeErrorCode, number> = { not_locked_down: 409, bad_expiry: 422 };

export class DefenseModeError extends codedError('DefenseModeError', DEFENSE_MODE_ERROR_STATUS) {}

interface ModeDeps {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  config: () => DefenseConfig['elevated'];
  onChange: (change: DefenseModeChange) => void;
}

/**
 * NORMAL → ELEVATED after enough high or critical threats in a window, back after a calm
 * period; LOCKDOWN is set by an admin or by the integrity monitor, persisted, and ends when
 * lifted or when its expiry passes. `mode` is read by the guard on every request.
 */
export class DefenseModeController {
  private lockdownState: LockdownState | null = null;
  private lockdownUntil = Infinity;
  private serious: number[] = [];
  private elevated = false;
  private lastSerious = 0;
  private mode: DefenseMode = 'NORMAL';
  /** Told of every change of `current`, however it came (a dedicated guard process follows it). */
  watcher: ((mode: DefenseMode) => void) | null = null;

  constructor(private readonly deps: ModeDeps) {}

  get current(): DefenseMode {
    return this.mode;
  }

  private set current(mode: DefenseMode) {
    if (mode === this.mode) return;
    this.mode = mode;
    this.watcher?.(mode);
  }

  get lockdownInfo(): LockdownState | null {
    return this.lockdownState;
  }

  async start(): Promise<void> {
    const stored = await readSetting<LockdownState>(this.deps.database, LOCKDOWN_KEY);
    if (stored) this.setLockdown(stored);
    this.current = this.compute(Date.now());
    await this.tick(Date.now());
  }

  /**
   * A standby takes the leader's word for the mode: it counts no threats itself, and a
   * lockdown's expiry is enforced by the leader's lift.
   */
  follow(mode: DefenseMode, lockdown: LockdownState | null): void {
    this.setLockdown(lockdown);
    this.elevated = mode === 'ELEVATED';
    this.current = mode;
  }

  /** A standby's own clock ends a followed lockdown on time, even if the leader's lift never reaches it. */
  settle(now: number): void {
    if (this.lockdownState && now >= this.lockdownUntil) {
      this.setLockdown(null);
      this.current = this.compute(now);
    }
  }

  /** Re-reads the stored lockdown (a standby catching up); ELEVATED is only ever announced. */
  async reload(): Promise<void> {
    const stored = await readSetting<LockdownState>(this.deps.database, LOCKDOWN_KEY);
    this.setLockdown(stored);
    this.current = this.compute(Date.now());
  }

  /**
   * After a restart: the serious threats still within the window are counted again, and ELEVATED
   * holds if it was the last mode announced. Nothing is announced here; the calm period then
   * ends ELEVATED as usual, from the last serious threat.
   */
  recall(input: { threats: readonly { level: ThreatLevel; at: string }[]; elevated: boolean; now: number }): void {
    const since = input.now - this.deps.config().windowMinutes * 60_000;
    const serious = input.threats.filter((threat) => threat.level !== 'medium').map((threat) => Date.parse(threat.at));
    this.lastSerious = Math.max(this.lastSerious, ...serious);
    this.serious = serious.filter((at) => at >= since).sort((a, b) => a - b);
    this.elevated = input.elevated;
    this.current = this.compute(input.now);
  }

  /** Counts a threat; returns true when the defense is (now) ELEVATED or stricter. */
  recordThreat(level: ThreatLevel, now: number): void {
    if (level === 'medium') return;
    const { threats, windowMinutes } = this.deps.config();
    this.lastSerious = now;
    this.serious.push(now);
    const since = now - windowMinutes * 60_000;
    while (this.serious.length > 0 && this.serious[0] < since) this.serious.shift();
    if (!this.elevated && this.serious.length >= threats) {
      this.elevated = true;
      void this.transition('system', `${this.serious.length} high or critical threats within ${windowMinutes} min`, now);
    }
  }

  /** Timers call this: lockdown expiry and the calm period that ends ELEVATED. */
  async tick(now: number): Promise<void> {
    if (this.lockdownState && now >= this.lockdownUntil) {
      await this.lift({ actor: 'system', reason: 'lockdown expired' }).catch((error: unknown) =>
        this.deps.log.warn({ err: (error as Error).message }, 'could not end an expired lockdown'),
      );
    }
    if (this.elevated && now - this.lastSerious >= this.deps.config().calmMinutes * 60_000) {
      this.elevated = false;
      this.serious = [];
      await this.transition('system', `no high or critical threat for ${this.deps.config().calmMinutes} min`, now);
    }
  }

  async lockdown(input: { actor: string; reason: string; expiresAt?: Date | null }): Promise<DefenseModeChange | null> {
    const now = new Date();
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw new DefenseModeError('bad_expiry', 'the lockdown expiry must be in the future');
    const state: LockdownState = { actor: input.actor, reason: input.reason, since: now.toISOString(), expiresAt: input.expiresAt?.toISOString() ?? null };
    await writeSetting(this.deps.database, LOCKDOWN_KEY, state);
    this.setLockdown(state);
    return this.transition(input.actor, input.reason, now.getTime(), true);
  }

  async lift(input: { actor: string; reason: string }): Promise<DefenseModeChange | null> {
    if (!this.lockdownState) throw new DefenseModeError('not_locked_down', 'the defense is not in LOCKDOWN');
    await deleteSetting(this.deps.database.prisma, LOCKDOWN_KEY);
    this.setLockdown(null);
    return this.transition(input.actor, input.reason, Date.now(), true);
  }

  private setLockdown(state: LockdownState | null): void {
    this.lockdownState = state;
    this.lockdownUntil = state?.expiresAt ? Date.parse(state.expiresAt) : Infinity;
  }

  private compute(now: number): DefenseMode {
    if (this.lockdownState && now < this.lockdownUntil) return 'LOCKDOWN';
    return this.elevated ? 'ELEVATED' : 'NORMAL';
  }

  /** Audits and announces a change of mode (or of the lockdown itself, when `force`). */
  private async transition(actor: string, reason: string, now: number, force = false): Promise<DefenseModeChange | null> {
    const from = this.current;
    const to = this.compute(now);
    this.current = to;
    if (from === to && !force) return null;
    const change: DefenseModeChange = { from, to, actor, reason, at: new Date(now).toISOString(), lockdown: this.lockdownState };
    const type = to === 'LOCKDOWN' ? 'defense.lockdown' : from === 'LOCKDOWN' ? 'defense.lockdown_lifted' : 'defense.mode_changed';
    await this.deps.audit
      .append({
        type,
        severity: to === 'NORMAL' ? 'notice' : to === 'ELEVATED' ? 'high' : 'critical',
        actor,
        action: `defense mode ${from} → ${to}`,
        module: 'defense',
        reason,
        method: actor === 'system' ? 'automatic' : 'operator',
        details: { from, to, expiresAt: this.lockdownState?.expiresAt ?? null },
      })
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message }, 'defense mode change not audited'));
    this.deps.onChange(change);
    return change;
  }
}
