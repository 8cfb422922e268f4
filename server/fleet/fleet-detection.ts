import type { Scenario } from '@/lib/defense/defense-config';
import { canonicalIp } from '@/lib/defense/ip-prefix';
import type { SecuritySignal } from '@/lib/defense/signals';
import { fleetCountsSchema, fleetLocalDecisionSchema } from '@/lib/fleet/fleet-counts';
import type { AuditWriter } from '../audit';
import type { AuditEventInput } from '@/lib/audit/types';
import type { VigilConfig } from '@/lib/config/config-schema';
import { Detectors, isolationDurationMs, isolationTargetOf, type DefenseService, type Overflow } from '../defense';
import type { Logger } from '../log';
import type { FleetHub } from './fleet-hub';

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
}

/**
 * The console's side of fleet-wide detection: agents' per-source counts are poured into detectors
 * built from this worker's own scenarios (same windows, same capacities, same mode factor), so a
 * source spread thin over many hosts overflows here as one. An overflow that would isolate locally
 * isolates the source on every host, and the audit names the hosts that saw it.
 */
export class FleetDetection {
  private readonly detectors: Detectors;
  private scenariosJson = '';
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
    },
  ) {
    this.detectors = new Detectors([], () => (deps.defense.mode === 'NORMAL' ? 1 : deps.settings().elevated.capacityFactor));
  }

  /** One agent's report, already attributed to `hostId` by its authenticated socket. */
  report(hostId: number, raw: unknown, now = Date.now()): void {
    if (!this.withinRate(hostId, now)) return;
    const parsed = fleetCountsSchema.safeParse(raw);
    if (!parsed.success) return void this.deps.log.warn({ hostId }, 'ignored malformed fleet signal counts');
    const scenarios = this.refreshScenarios();
    if (scenarios.length === 0) return;
    // Past the largest capacity, more of the same signal cannot change what is detected.
    const pourLimit = Math.max(...scenarios.map((s) => s.capacity)) + 1;
    const windowMs = Math.max(...scenarios.map((s) => s.windowSeconds)) * 1000;
    for (const [kind, text, count] of parsed.data.counts) {
      const source = canonicalIp(text);
      if (source === null) continue;
      this.remember(source, hostId, count, now, windowMs);
      const signal: SecuritySignal = { kind, source, origin: `fleet:host-${hostId}`, at: now };
      for (let i = Math.min(count, pourLimit); i > 0; i--) {
        for (const overflow of this.detectors.observe(signal, now)) void this.respond(overflow, now, windowMs);
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

  private refreshScenarios(): Scenario[] {
    const scenarios = acrossHosts(this.deps.settings().scenarios);
    const json = JSON.stringify(scenarios);
    if (json !== this.scenariosJson) {
      this.detectors.configure(scenarios);
      this.scenariosJson = json;
    }
    return scenarios;
  }

  private remember(source: string, hostId: number, count: number, now: number, windowMs: number): void {
    const hosts = this.contributions.get(source) ?? new Map<number, Contribution>();
    // Re-inserted so the Map's order is least recently counted first.
    this.contributions.delete(source);
    this.contributions.set(source, hosts);
    const seen = hosts.get(hostId);
    if (seen && now - seen.lastAt <= windowMs) {
      seen.count += count;
      seen.lastAt = now;
    } else hosts.set(hostId, { count, lastAt: now });
    if (this.contributions.size > MAX_REMEMBERED_SOURCES) this.contributions.delete(this.contributions.keys().next().value!);
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
      audit: Pick<AuditEventInput, 'type' | 'severity' | 'action' | 'source' | 'reason'> & { details: Record<string, unknown> };
    },
  ): Promise<void> {
    const { defense, hub, audit, log } = this.deps;
    if (this.deciding.has(target) || defense.blocklist.get(target)) return;
    // Loopback, the trusted proxies and the allowlist of the console are protected for the whole fleet.
    const refusal = defense.isolations.refusal(target, 'system');
    if (refusal) return void log.info({ source: target, reason: refusal.message }, 'fleet-wide isolation skipped');
    const { scenario, reason, durationMs, exceptHostId } = request;
    this.deciding.add(target);
    try {
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
}
