import { INCIDENT_STEP_KINDS } from '../healing/healing-views';

/** What machines send through the ingest API, recorded as `app.<type>`. */
export const APP_EVENT_TYPES = ['auth_failure', 'auth_success', 'request', 'error', 'custom'] as const;

/** Types written with a fixed name; a test keeps this list in step with the code that writes them. */
const FIXED_TYPES = [
  'alert.rule_removed',
  'alert.silence_created',
  'alert.silence_expired',
  'audit.canary',
  'audit.event_quarantined',
  'audit.pruned',
  'audit.verify_requested',
  'auth.admin_created',
  'auth.login_failed',
  'auth.login_succeeded',
  'auth.login_throttled',
  'auth.logout',
  'auth.setup_failed',
  'cluster.leader_elected',
  'cluster.signing_key_mismatch',
  'config.reload_rejected',
  'config.section_changed',
  'defense.allowlist_removed',
  'defense.allowlisted',
  'defense.blocklist_refresh_failed',
  'defense.blocklist_refreshed',
  'defense.bouncer_added',
  'defense.bouncer_deleted',
  'defense.bouncer_stale',
  'drill.completed',
  'forecast.mitigation_applied',
  'healing.probe_inconclusive',
  'health.degradation_changed',
  'integrity.baseline_created',
  'integrity.baseline_unreadable',
  'integrity.findings_summarized',
  'integrity.rebaselined',
  'module.orphan_stopped',
  'module.removed',
  'module.restart_requested',
  'module.state_changed',
  'notification.dropped',
  'share.created',
  'share.revoked',
  'share.viewed',
  'snapshot.created',
  'snapshot.offsite_copied',
  'snapshot.offsite_fetched',
  'snapshot.offsite_forgotten',
  'snapshot.pruned',
  'snapshot.restore_interrupted',
  'status_page.post_removed',
  'status_page.post_updated',
  'status_page.removed',
  'test.append',
  'test.cli',
  'token.created',
  'token.revoked',
  'user.changed',
  'user.created',
  'worker.started',
  'worker.stopped',
] as const;

/**
 * Every audit event type the console can write, for the audit filter's suggestions: an operator
 * typing `auth_failure` should be offered `app.auth_failure`, the type that is actually stored.
 */
export const KNOWN_AUDIT_TYPES: readonly string[] = [
  ...new Set<string>([
    ...FIXED_TYPES,
    ...APP_EVENT_TYPES.map((type) => `app.${type}`),
    ...INCIDENT_STEP_KINDS.map((kind) => `healing.${kind}`),
    ...['isolated', 'restored', 'expired'].map((change) => `defense.${change}`),
  ]),
].sort();
