import type { Scenario } from '@/lib/defense/defense-config';
import { canonicalIp } from '@/lib/defense/ip-prefix';
import type { SecuritySignal } from '@/lib/defense/signals';
import { fleetCountsSchema, fleetLocalDecisionSchema, type FleetCounts } from '@/lib/fleet/fleet-counts';
import type { AuditWriter } from '../audit';
import type { AuditEventInput } from '@/lib/audit/types';
import type { JsonObject } from '@/lib/canonical-json';
import type { VigilConfig } from '@/lib/config/config-schema';
import { Detectors, isolationDurationMs, isolationTargetOf, type DefenseService, type Overflow } from '../defense';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { DecisionBudget, FLEET_DECISIONS_PER_MINUTE, grantShare, type PouredShares } from './fleet-host-share';
import type { FleetHub } from './fleet-hub';
import { fleetProtectionOf } from './fleet-protected-sources';

/** Addresses whose per-host contributions are remembered at most; the least recently counted go first. */
const MAX_REMEMBERED_SOURCES = 50_000;
/** Reports per host and second at most (an agent sends ten): a host flooding them costs the console nothing more. */
const MAX_REPORTS_PER_SECOND = 20;

/**
 * Scenarios that mean the same summed over hosts: grouped by address, counting every signal.
 * Distinct paths are not reported, and a host's CPU says nothing about the fleet's.
 */
const acrossHosts = (scenarios: Scenario[]): Scenario[] =>
  scenarios.filter((s) => (s.groupBy === 'ip' || s.groupBy === 'cidr24') && s.distinct === undefined && s.whenHost === undefined);

interface Contribution {
  count: number;
  lastAt: number;
  /** Per scenario, what this host poured for this source within the scenario's window. */
  poured: PouredShares;
}

/** One scenario's buckets, kept apart so each host's share can be bounded per scenario. */
interface ScenarioDetectors {
  scenario: Scenario;
  detectors: Detectors;
}

/**
 * The console's side of fleet-wide detection: agents' per-source counts are poured into detectors
 * built from this worker's own scenarios (same windows, same capacities, same mode factor), so a
 * source spread thin over many hosts overflows here as one. An overflow that would isolate locally
 * isolates the source on every host, and the audit names the hosts that saw it.
 */
export class FleetDetection {
  private runners: ScenarioDetectors[] = [];
  private scenariosJson = '';
  private readonly budget = new DecisionBudget();
  /** Per address, per host: what each host reported within the longest window. */
  private readonly contributions = new Map<string, Map<number, Contribution>>();
  private readonly deciding = new Set<string>();
  private readonly reportsThisSecond = new Map<number, { second: number; reports: number }>();

  constructor(
    private readonly deps: {
      defense: DefenseService;
      /** The console's defense settings now: scenarios, ELEVATED's factor, the isolation schedule. */
      settings: () => VigilConfig['defense'];
      hub: FleetHub;
      audit: AuditWriter;
      log: Logger;
      /** Where the addresses operators are signed in from are read. */
      database: Database;
    },
  ) {}

  private capacityFactor(): number {
    return this.deps.defense.mode === 'NORMAL' ? 1 : this.deps.settings().elevated.capacityFactor;
  }

  /** One agent's report, already attributed to `hostId` by its authenticated socket. */
  report(hostId: number, raw: unknown, now = Date.now()): void {
    const counts = this.admitted(hostId, raw, now);
    if (counts) this.pour(hostId, counts, now);
  }

  /** A report within the host's rate and well formed, or null (logged). */
  admitted(hostId: number, raw: unknown, now = Date.now()): FleetCounts['counts'] | null {
    if (!this.withinRate(hostId, now)) return null;
    const parsed = fleetCountsSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn({ hostId }, 'ignored malformed fleet signal counts');
      return null;
    }
    return parsed.data.counts;
  }

  /** Counts admitted here or by the replica that holds the host's socket. */
  pour(hostId: number, counts: FleetCounts['counts'], now = Date.now()): void {
    const runners = this.refreshScenarios();
    if (runners.length === 0) return;
    const windowMs = Math.max(...runners.map((r) => r.scenario.windowSeconds)) * 1000;
    const factor = this.capacityFactor();
    for (const [kind, text, count] of counts) {
      const source = canonicalIp(text);
      if (source === null) continue;
      const contribution = this.remember(source, hostId, count, now, windowMs);
      const signal: SecuritySignal = { kind, source, origin: `fleet:host-${hostId}`, at: now };
      for (const { scenario, detectors } of runners) {
        if (!scenario.kinds.includes(kind)) continue;
        // One host never fills a bucket alone, whatever it claims to have seen.
        const capacity = Math.max(1, Math.ceil(scenario.capacity * factor));
        for (let i = grantShare(contribution.poured, { scenario, capacity, count, now }); i > 0; i--) {
          for (const overflow of detectors.observe(signal, now)) void this.respond(overflow, now, windowMs);
        }
      }
    }
  }

  private withinRate(hostId: number, now: number): boolean {
    const second = Math.floor(now / 1000);
    const seen = this.reportsThisSecond.get(hostId);
    if (!seen || seen.second !== second) {
      this.reportsThisSecond.set(hostId, { second, reports: 1 });
      return true;
    }
    if (++seen.reports <= MAX_REPORTS_PER_SECOND) return true;
    if (seen.reports === MAX_REPORTS_PER_SECOND + 1) this.deps.log.warn({ hostId }, 'fleet signal counts arrive too fast; ignoring the rest of this second');
    return false;
  }

  private refreshScenarios(): ScenarioDetectors[] {
    const scenarios = acrossHosts(this.deps.settings().scenarios);
    const json = JSON.stringify(scenarios);
    if (json !== this.scenariosJson) {
      // A reload keeps the buckets of scenarios whose definition did not change.
      const previous = new Map(this.runners.map((r) => [JSON.stringify(r.scenario), r]));
      this.runners = scenarios.map(
        (scenario) => previous.get(JSON.stringify(scenario)) ?? { scenario, detectors: new Detectors([scenario], () => this.capacityFactor()) },
      );
      this.scenariosJson = json;
    }
    return this.runners;
  }

  private remember(source: string, hostId: number, count: number, now: number, windowMs: number): Contribution {
    const hosts = this.contributions.get(source) ?? new Map<number, Contribution>();
    // Re-inserted so the Map's order is least recently counted first.
    this.contributions.delete(source);
    this.contributions.set(source, hosts);
    let seen = hosts.get(hostId);
    if (seen && now - seen.lastAt <= windowMs) {
      seen.count += count;
      seen.lastAt = now;
    } else hosts.set(hostId, (seen = { count, lastAt: now, poured: new Map() }));
    if (this.contributions.size > MAX_REMEMBERED_SOURCES) this.contributions.delete(this.contributions.keys().next().value!);
    return seen;
  }

  /** Which hosts reported the source within the window, with their counts. */
  private contributors(source: string, now: number, windowMs: number): Array<{ hostId: number; count: number }> {
    const hosts = this.contributions.get(source) ?? new Map<number, Contribution>();
    return [...hosts].filter(([, c]) => now - c.lastAt <= windowMs).map(([hostId, c]) => ({ hostId, count: c.count }));
  }

  private async respond(overflow: Overflow, now: number, windowMs: number): Promise<void> {
    const target = isolationTargetOf(overflow, this.deps.defense.mode);
    if (target === null) return;
    const { scenario } = overflow;
    const hosts = this.contributors(overflow.source ?? target, now, windowMs);
    await this.isolateAcross(target, {
      scenario: scenario.name,
      reason: `${scenario.name} across the fleet: ${overflow.count} events from ${overflow.key} on ${hosts.length} hosts`,
      durationMs: isolationDurationMs(1, this.deps.settings().isolation),
      audit: {
        type: 'fleet.detection',
        severity: scenario.level === 'critical' ? 'critical' : 'high',
        action: `${scenario.name} detected across the fleet`,
        source: overflow.source,
        reason: `${overflow.count} events within ${scenario.windowSeconds} s (capacity ${scenario.capacity}) summed over ${hosts.length} hosts`,
        details: { scenario: scenario.name, count: overflow.count, hosts },
      },
    });
  }

  /** A source one host's own detectors isolated: every other host isolates it too. */
  adopt(hostId: number, raw: unknown, now = Date.now()): void {
    if (!this.withinRate(hostId, now)) return;
    const parsed = fleetLocalDecisionSchema.safeParse(raw);
    if (!parsed.success) return void this.deps.log.warn({ hostId }, 'ignored a malformed decision shared by a fleet host');
    const { source, scenario, reason, expiresAt } = parsed.data;
    const budget = this.budget.take(hostId, now);
    if (budget === 'limited') void this.noteLimited(hostId);
    if (budget !== 'adopt') return;
    void this.isolateAcross(source, {
      scenario,
      reason: `${reason} (decided on host ${hostId})`,
      durationMs: expiresAt === null ? null : Math.max(1000, Date.parse(expiresAt) - now),
      exceptHostId: hostId,
      audit: {
        type: 'fleet.decision_shared',
        severity: 'high',
        action: `isolate fleet-wide what host ${hostId} decided`,
        source,
        reason,
        details: { hostId, scenario },
      },
    });
  }

  private async isolateAcross(
    target: string,
    request: {
      scenario: string | null;
      reason: string;
      durationMs: number | null;
      exceptHostId?: number;
      audit: Pick<AuditEventInput, 'type' | 'severity' | 'action' | 'source' | 'reason'> & { details: JsonObject };
    },
  ): Promise<void> {
    const { defense, hub, audit, log } = this.deps;
    if (this.deciding.has(target) || defense.blocklist.get(target)) return;
    // Loopback, the trusted proxies and the allowlist of the console are protected for the whole fleet.
    const { scenario, reason, durationMs, exceptHostId } = request;
    this.deciding.add(target);
    try {
      const refusal =
        defense.isolations.refusal(target, 'system')?.message ??
        (await fleetProtectionOf(target, { database: this.deps.database, hostAddresses: () => hub.connectedAddresses() }));
      if (refusal) return await this.refuse(target, refusal, request.audit);
      // Sent to the agents first: the console's own write must not delay the block on the edges.
      const reached = await hub.isolateEverywhere({ source: target, reason, actor: 'fleet:detector', durationMs, exceptHostId });
      await defense.isolations
        .isolate({ source: target, reason, actor: 'fleet:detector', origin: 'auto', scenario, durationMs })
        .catch((error: unknown) => log.warn({ err: (error as Error).message, source: target }, 'fleet-wide isolation not enforced on the console'));
      await audit.append({
        ...request.audit,
        actor: 'fleet:detector',
        module: 'fleet',
        resource: target,
        method: 'automatic',
        details: { ...request.audit.details, hostsReached: reached, durationMs },
      });
    } catch (error) {
      log.warn({ err: (error as Error).message, source: target }, 'fleet-wide detection could not isolate');
    } finally {
      this.deciding.delete(target);
    }
  }

  /** A decision the fleet will not carry out: recorded with who asked for it, since a host asking for it may be compromised. */
  private async refuse(target: string, refusal: string, asked: { action: string; details: JsonObject }): Promise<void> {
    this.deps.log.warn({ source: target, reason: refusal }, 'fleet-wide isolation refused');
    await this.deps.audit.append({
      type: 'fleet.isolation_refused',
      severity: 'warning',
      actor: 'fleet:detector',
      action: `refuse to ${asked.action}`,
      module: 'fleet',
      resource: target,
      reason: refusal,
      method: 'automatic',
      details: asked.details,
    });
  }

  private async noteLimited(hostId: number): Promise<void> {
    this.deps.log.warn({ hostId }, 'a fleet host shares more decisions than the fleet adopts; keeping the rest to that host');
    await this.deps.audit
      .append({
        type: 'fleet.decisions_limited',
        severity: 'high',
        actor: `host:${hostId}`,
        action: 'limit decisions shared by a host',
        module: 'fleet',
        resource: `host:${hostId}`,
        reason: `more than ${FLEET_DECISIONS_PER_MINUTE} isolations shared within a minute; the rest stay on that host`,
        method: 'automatic',
        details: { hostId, perMinute: FLEET_DECISIONS_PER_MINUTE },
      })
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message }, 'could not record a limited fleet host'));
  }
}
