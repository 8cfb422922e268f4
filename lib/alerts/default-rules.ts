import { alertRuleSchema, type AlertRule, type AlertRuleInput } from './alert-rules';

/** Emitted by the audit verifier when the stored chain stops verifying (once per break, not per run). */
export const AUDIT_CHAIN_BROKEN = 'audit.verify_failed';
/** Emitted when no verified golden snapshot is younger than `snapshots.goldenMaxAgeHours`. */
export const GOLDEN_SNAPSHOT_STALE = 'snapshot.golden_stale';
/** Emitted at start when the previous run ended without its `worker.stopped`. */
export const WORKER_RESTARTED_UNEXPECTEDLY = 'worker.restarted_unexpectedly';

// Half a second gathers the burst one incident writes (a tampered file, then the LOCKDOWN it causes)
// and still pages within a second or so; Alertmanager's 30 s default suits metrics, not a break-in.
const PAGE_FAST = { groupWaitSeconds: 0.5 } as const;

const SHIPPED: AlertRuleInput[] = [
  { name: 'lockdown engaged', events: ['defense.lockdown'], groupBy: ['type'], ...PAGE_FAST },
  { name: 'critical threat', events: ['defense.threat'], minSeverity: 'critical', groupBy: ['type'], ...PAGE_FAST },
  {
    name: 'critical file changed',
    events: ['integrity.file_*', 'integrity.findings_summarized'],
    minSeverity: 'high',
    labels: { critical: 'true' },
    groupBy: ['type'],
  },
  { name: 'snapshot verification failed', events: ['snapshot.corrupt', 'snapshot.verify_failed'], groupBy: ['type', 'resource'], ...PAGE_FAST },
  { name: 'audit chain broken', events: [AUDIT_CHAIN_BROKEN], groupBy: ['type'], ...PAGE_FAST },
  { name: 'golden snapshot too old', events: [GOLDEN_SNAPSHOT_STALE], groupBy: ['type'], repeatIntervalSeconds: 24 * 3600, ...PAGE_FAST },
  { name: 'worker restarted unexpectedly', events: [WORKER_RESTARTED_UNEXPECTEDLY], groupBy: ['type', 'host'], ...PAGE_FAST },
];

/** The shipped rules: every one routes to every configured channel until the operator says otherwise. */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = SHIPPED.map((rule) => alertRuleSchema.parse(rule));

/**
 * The rules in force: shipped (unless turned off), then the config file's, then the console's;
 * a later rule with an earlier one's name replaces it, so the console can edit a shipped rule.
 */
export function effectiveRules(input: { defaults: boolean; configured: readonly AlertRule[]; stored: readonly AlertRule[] }): AlertRule[] {
  const byName = new Map<string, AlertRule>();
  for (const rule of [...(input.defaults ? DEFAULT_ALERT_RULES : []), ...input.configured, ...input.stored]) {
    byName.delete(rule.name);
    byName.set(rule.name, rule);
  }
  return [...byName.values()];
}
