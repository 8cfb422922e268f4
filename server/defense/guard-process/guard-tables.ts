import type { DefenseMode } from '@/lib/defense/defense-types';
import { parseIpv4 } from '@/lib/defense/ip-prefix';
import { Allowlist } from '../allowlist';
import type { GuardVerdict } from '../defense-service';
import { SourceResolver } from '../source-resolver';
import { DecisionTable } from './decision-table';
import { forEachDecision, type GuardState, type ToGuard } from './guard-protocol';
import { ListedRanges } from '../ip-lists/listed-ranges';
import type { RequestTally } from './request-tally';

/**
 * What the dedicated guard process knows: a copy of the worker's allowlist, mode, decisions,
 * imported lists and trusted proxies, kept current by the worker's messages. `check` answers
 * as `DefenseService.check` does, and counts passed requests for the worker's detectors.
 */
export class GuardTables {
  readonly decisions = new DecisionTable();
  private readonly allowlist = new Allowlist();
  private readonly listed = new ListedRanges();
  resolver = new SourceResolver([]);
  mode: DefenseMode = 'NORMAL';
  private countRequests = true;

  constructor(private readonly tally: RequestTally) {}

  /** Replaces the whole copy: a decision released while the process was behind must not stay. */
  load(state: GuardState): void {
    this.apply({ kind: 'settings', settings: state });
    this.mode = state.mode;
    this.allowlist.setConfigEntries(state.allowlist);
    this.listed.replace(state.ipLists);
    this.decisions.clear();
    forEachDecision(state.decisions, (source, expiresAtMs) => this.decisions.set(source, expiresAtMs));
  }

  apply(message: ToGuard): void {
    switch (message.kind) {
      case 'start':
      case 'state':
        return this.load(message.state);
      case 'decisions':
        for (const change of message.changes) {
          if (change.op === 'set') this.decisions.set(change.source, change.expiresAtMs);
          else this.decisions.delete(change.source);
        }
        return;
      case 'mode':
        this.mode = message.mode;
        return;
      case 'allowlist':
        this.allowlist.setConfigEntries(message.sources);
        return;
      case 'ipLists':
        this.listed.replace(message.lists);
        return;
      case 'settings':
        this.resolver = new SourceResolver(message.settings.trustedProxies);
        this.countRequests = message.settings.countRequests;
        return;
    }
  }

  /** Allowlist, LOCKDOWN, decisions and lists, in the worker's order; a pass is counted. */
  check(source: string, path: string | undefined, now = Date.now()): GuardVerdict {
    const tally = this.tally;
    tally.checks++;
    const v4 = parseIpv4(source);
    if (v4 !== null ? this.allowlist.matchIpv4(v4) : this.allowlist.match(source)) return 'pass';
    if (this.mode === 'LOCKDOWN') {
      tally.denied++;
      return 'lockdown';
    }
    const isolated =
      v4 !== null
        ? this.decisions.matchesIpv4(v4, now) || this.listed.matchesIpv4(v4, now)
        : this.decisions.matches(source, now) || this.listed.matches(source, now);
    if (isolated) {
      tally.denied++;
      return 'isolated';
    }
    if (this.countRequests) tally.count(source, path);
    return 'pass';
  }
}
