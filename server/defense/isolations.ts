import type { DefenseConfig } from '@/lib/defense/defense-config';
import type { DefenseDecision, DefenseDecisionChange } from '@/lib/defense/defense-types';
import { parseSource } from '@/lib/defense/ip-prefix';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { insertDecision, liftDecisions, loadActiveDecisions, previousOffences, type DecisionRow, type StoredDecision } from '../queries/defense';
import type { Blocklist, LoadedDecision } from './blocklist';
import { IsolationError, type IsolationAuthority, type IsolationPolicy } from './isolation-policy';

export { IsolationError };

export interface IsolateInput {
  source: string;
  actor: string;
  reason: string;
  origin: 'auto' | 'manual';
  scenario?: string | null;
  /** Omitted: the repeat-offender schedule; null: indefinite. */
  durationMs?: number | null;
  /** Omitted: `system` for automatic decisions, `operator` (the least role that isolates at all) for manual ones. */
  authority?: IsolationAuthority;
}

interface IsolationDeps {
  database: Database;
  audit: AuditWriter;
  log: Logger;
  blocklist: Blocklist;
  policy: IsolationPolicy;
  config: () => DefenseConfig['isolation'];
  onChange: (change: DefenseDecisionChange) => void;
}

// Written out field by field: a spread copies by walking the row's keys, 100,000 times at start.
const fromStored = (row: StoredDecision): DefenseDecision => ({
  id: row.id,
  source: row.source,
  scope: row.source.includes('/') ? 'range' : 'ip',
  origin: row.origin === 'auto' ? 'auto' : 'manual',
  scenario: row.scenario,
  reason: row.reason,
  actor: row.actor,
  offence: row.offence,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
});

const toDecision = (row: DecisionRow): DefenseDecision => ({
  id: row.id,
  source: row.source,
  scope: row.source.includes('/') ? 'range' : 'ip',
  origin: row.origin === 'auto' ? 'auto' : 'manual',
  scenario: row.scenario,
  reason: row.reason,
  actor: row.actor,
  offence: row.offence,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt?.toISOString() ?? null,
});

/** 4 h, 8 h, 16 h … for the 1st, 2nd, 3rd offence, capped: a repeat offender stays out longer each time. */
export function isolationDurationMs(offence: number, config: Pick<DefenseConfig['isolation'], 'baseHours' | 'factor' | 'maxHours'>): number {
  const hours = Math.min(config.baseHours * config.factor ** Math.max(0, offence - 1), config.maxHours);
  return hours * 3_600_000;
}

/** Writes decisions to the database first, then enforces them in memory, then audits and announces. */
export class Isolations {
  /** Sources with an isolation on its way to the database: a burst of overflows isolates once. */
  private readonly pending = new Set<string>();

  constructor(private readonly deps: IsolationDeps) {}

  async load(): Promise<number> {
    const decisions = await this.enforceable();
    this.deps.blocklist.loadParsed(decisions);
    return decisions.length;
  }

  /** A standby catching up: the list becomes what the database holds now. */
  async reload(): Promise<number> {
    const decisions = await this.enforceable();
    this.deps.blocklist.reset(decisions.map((d) => d.decision));
    return decisions.length;
  }

  /**
   * Whether a decision made elsewhere (by the leader, or before a restart) may be enforced
   * here: one stored before an address became protected, or under another replica's
   * configuration, must not lock out this replica's loopback, proxies or allowlist.
   */
  mayEnforce(decision: DefenseDecision, parsed = parseSource(decision.source)): boolean {
    const refusal = parsed
      ? this.deps.policy.refusal(parsed, 'system')
      : new IsolationError('invalid_source', `"${decision.source}" is not an IP address or CIDR range`);
    if (refusal) this.deps.log.warn({ decision: decision.id, source: decision.source, reason: refusal.message }, 'stored isolation not enforced');
    return refusal === null;
  }

  /** With each source parsed once: the check and the list both need it, 100,000 times at start. */
  private async enforceable(): Promise<LoadedDecision[]> {
    const rows = await loadActiveDecisions(this.deps.database, new Date());
    const enforceable: LoadedDecision[] = [];
    for (const row of rows) {
      const decision = fromStored(row);
      const parsed = parseSource(decision.source);
      if (this.mayEnforce(decision, parsed)) enforceable.push({ decision, parsed: parsed! });
    }
    return enforceable;
  }

  /** Why `source` may not be isolated by `authority`, or null; detectors ask before they try. */
  refusal(source: string, authority: IsolationAuthority): IsolationError | null {
    const parsed = parseSource(source);
    if (!parsed) return new IsolationError('invalid_source', `"${source}" is not an IP address or CIDR range`);
    return this.deps.policy.refusal(parsed, authority);
  }

  isPending(source: string): boolean {
    return this.pending.has(source);
  }

  async isolate(input: IsolateInput): Promise<DefenseDecision> {
    const refusal = this.refusal(input.source, input.authority ?? (input.origin === 'auto' ? 'system' : 'operator'));
    if (refusal) throw refusal;
    const source = parseSource(input.source)!.text;
    this.pending.add(source);
    const replaced = this.deps.blocklist.get(source);
    // Enforced at once while it is written: the database round trip must not delay a block.
    const provisional = this.provisional(source, input, replaced);
    try {
      const db = this.deps.database.prisma;
      const offence = (await previousOffences(db, source)) + 1;
      const durationMs = input.durationMs === undefined ? isolationDurationMs(offence, this.deps.config()) : input.durationMs;
      const now = new Date();
      const row = await db.$transaction(async (tx) => {
        if (replaced) await liftDecisions(tx, [replaced.id], input.actor, now);
        return insertDecision(tx, {
          source,
          origin: input.origin,
          scenario: input.scenario ?? null,
          reason: input.reason,
          actor: input.actor,
          offence,
          createdAt: now,
          expiresAt: durationMs === null ? null : new Date(now.getTime() + durationMs),
        });
      });
      const decision = toDecision(row);
      this.deps.blocklist.add(decision);
      await this.announce('isolated', decision, input.actor, input.reason);
      return decision;
    } catch (error) {
      // Not stored, not enforced: what a restart would forget must not be in force now either.
      if (this.deps.blocklist.get(source) === provisional) {
        this.deps.blocklist.remove(source);
        if (replaced) this.deps.blocklist.add(replaced);
      }
      throw error;
    } finally {
      this.pending.delete(source);
    }
  }

  private provisional(source: string, input: IsolateInput, replaced: DefenseDecision | undefined): DefenseDecision {
    const now = Date.now();
    const durationMs = input.durationMs === undefined ? isolationDurationMs(1, this.deps.config()) : input.durationMs;
    const decision: DefenseDecision = {
      id: -now,
      source,
      scope: source.includes('/') ? 'range' : 'ip',
      origin: input.origin,
      scenario: input.scenario ?? null,
      reason: input.reason,
      actor: input.actor,
      offence: (replaced?.offence ?? 0) + 1,
      createdAt: new Date(now).toISOString(),
      expiresAt: durationMs === null ? null : new Date(now + durationMs).toISOString(),
    };
    this.deps.blocklist.add(decision, 'provisional');
    return decision;
  }

  async restore(input: { source: string; actor: string; reason: string }): Promise<DefenseDecision> {
    const parsed = parseSource(input.source);
    if (!parsed) throw new IsolationError('invalid_source', `"${input.source}" is not an IP address or CIDR range`);
    const decision = this.deps.blocklist.get(parsed.text);
    if (!decision) throw new IsolationError('not_isolated', `${parsed.text} is not isolated`);
    await liftDecisions(this.deps.database.prisma, [decision.id], input.actor, new Date());
    this.deps.blocklist.remove(parsed.text);
    await this.announce('restored', decision, input.actor, input.reason);
    return decision;
  }

  /** Ends what has run out; the rows already say so through expiresAt. */
  async expire(now: number): Promise<void> {
    for (const decision of this.deps.blocklist.expire(now)) await this.announce('expired', decision, 'system', 'isolation time is up');
  }

  private async announce(change: DefenseDecisionChange['change'], decision: DefenseDecision, actor: string, reason: string): Promise<void> {
    const isolated = change === 'isolated';
    await this.deps.audit
      .append({
        type: `defense.${change}`,
        severity: isolated ? 'high' : 'notice',
        actor,
        action: isolated ? `isolate ${decision.source}` : `end isolation of ${decision.source}`,
        module: 'defense',
        resource: decision.source,
        source: decision.source,
        reason,
        method: decision.origin === 'auto' && isolated ? 'automatic' : actor === 'system' ? 'expiry' : 'operator',
        details: { decisionId: decision.id, offence: decision.offence, expiresAt: decision.expiresAt, scenario: decision.scenario },
      })
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message, decision: decision.id }, 'isolation change not audited'));
    this.deps.onChange({ change, decision, actor, reason, at: new Date().toISOString() });
  }
}
