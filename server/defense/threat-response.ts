import { randomUUID } from 'node:crypto';
import type { DefenseMode, DefenseThreat, ThreatAction } from '@/lib/defense/defense-types';
import type { AuditWriter } from '../audit';
import type { Logger } from '../log';
import type { Allowlist } from './allowlist';
import type { Blocklist } from './blocklist';
import type { DefenseModeController } from './defense-mode';
import type { Overflow } from './detectors';
import { IsolationError, type Isolations } from './isolations';
import type { ThreatFeed } from './threat-feed';
import { THREAT_EVENT, threatAuditDetails } from './threat-history';

export interface ThreatResponseDeps {
  modes: DefenseModeController;
  allowlist: Allowlist;
  blocklist: Blocklist;
  isolations: Isolations;
  threats: ThreatFeed;
  audit: AuditWriter;
  log: Logger;
  onThreat?: (threat: DefenseThreat) => void;
}

/**
 * What a detector's overflow becomes: a threat in the feed and the audit trail, and, when the
 * mode and level call for it and the isolation policy allows it, an automatic isolation.
 */
/** The address or range an overflow calls for isolating in `mode`, or null when it only records a threat. */
export function isolationTargetOf({ scenario, source, key }: Overflow, mode: DefenseMode): string | null {
  const byAddress = scenario.groupBy === 'ip' || scenario.groupBy === 'cidr24';
  const target = scenario.groupBy === 'cidr24' ? key : source;
  // ELEVATED isolates on the first high threat, not only on critical ones.
  const wanted = scenario.level === 'critical' || (mode !== 'NORMAL' && scenario.level === 'high');
  return byAddress && wanted ? target : null;
}

export async function respondToOverflow(deps: ThreatResponseDeps, overflow: Overflow): Promise<void> {
  const { scenario, source } = overflow;
  const mode = deps.modes.current;
  const target = isolationTargetOf(overflow, mode);
  const wantsIsolation = target !== null;
  let action: ThreatAction = 'recorded';
  // Loopback, the trusted proxies and the allowlist are never isolated, by a detector least of all.
  const refusal = wantsIsolation ? deps.isolations.refusal(target, 'system') : null;
  if (source && deps.allowlist.match(source)) action = 'allowlisted';
  else if (refusal) action = refusal.code === 'allowlisted' ? 'allowlisted' : 'protected';
  else if (wantsIsolation && (deps.blocklist.get(target) || deps.isolations.isPending(target))) action = 'already-isolated';
  else if (wantsIsolation) action = 'isolated';
  if (refusal) deps.log.info({ scenario: scenario.name, source: target, reason: refusal.message }, 'automatic isolation skipped');

  const threat: DefenseThreat = {
    id: randomUUID(),
    at: new Date(overflow.signal.at).toISOString(),
    scenario: scenario.name,
    level: scenario.level,
    groupBy: scenario.groupBy,
    key: overflow.key,
    source,
    count: overflow.count,
    action,
    origin: overflow.signal.origin,
    modeAtDetection: mode,
  };
  deps.threats.add(threat);
  deps.modes.recordThreat(threat.level, overflow.signal.at);
  try {
    if (action === 'isolated') {
      await deps.isolations.isolate({
        source: target!,
        actor: 'system',
        origin: 'auto',
        scenario: scenario.name,
        reason: `${scenario.name}: ${overflow.count} events from ${overflow.key}`,
      });
    }
  } catch (error) {
    threat.action = 'recorded';
    if (!(error instanceof IsolationError)) deps.log.warn({ err: (error as Error).message, source: target }, 'automatic isolation failed');
  }
  await deps.audit
    .append({
      type: THREAT_EVENT,
      severity: threat.level === 'critical' ? 'critical' : threat.level === 'high' ? 'high' : 'warning',
      actor: 'system',
      action: `${scenario.name} detected`,
      module: 'defense',
      resource: threat.key,
      source,
      reason: `${threat.count} events within ${scenario.windowSeconds} s (capacity ${scenario.capacity})`,
      method: threat.origin,
      details: { ...threatAuditDetails(threat), ...(refusal ? { notIsolated: refusal.message } : {}) },
    })
    .catch((error: unknown) => deps.log.warn({ err: (error as Error).message }, 'threat not audited'));
  deps.onThreat?.(threat);
}
