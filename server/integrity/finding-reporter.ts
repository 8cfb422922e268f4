import type { AuditEventInput } from '@/lib/audit/types';
import type { JsonObject } from '@/lib/canonical-json';
import type { IntegrityFinding } from '@/lib/integrity/integrity-status';
import type { AuditWriter } from '../audit';
import type { Logger } from '../log';

export type AuditSink = Pick<AuditWriter, 'append'>;

/**
 * Past this many findings in one check (an upgrade rewriting the whole tree) the rest are
 * summarised in one event: the chain records that they happened, the status lists them.
 */
const MAX_EVENTS_PER_CHECK = 200;

export interface FindingReporterOptions {
  audit: AuditSink;
  log: Logger;
  /** After the audit event is stored: the place for the live event. */
  onFinding?: (finding: IntegrityFinding) => void;
  /** A critical path was added, removed or changed: the defense module may go to LOCKDOWN. */
  onCriticalTamper?: (finding: IntegrityFinding) => void;
}

export function findingEvent(finding: IntegrityFinding): AuditEventInput {
  return {
    type: `integrity.file_${finding.kind}`,
    severity: finding.severity,
    actor: 'system',
    action: `file ${finding.kind}`,
    module: 'integrity',
    resource: finding.path.slice(0, 500),
    method: finding.via,
    details: { critical: finding.critical, before: finding.before, after: finding.after, changed: finding.changed } as unknown as JsonObject,
    at: new Date(finding.at),
  };
}

export async function reportFindings(findings: IntegrityFinding[], options: FindingReporterOptions): Promise<void> {
  const individual = findings.slice(0, MAX_EVENTS_PER_CHECK);
  const rest = findings.slice(MAX_EVENTS_PER_CHECK);
  await Promise.all(
    individual.map(async (finding) => {
      try {
        await options.audit.append(findingEvent(finding));
      } catch (error) {
        options.log.error({ err: error, path: finding.path }, 'could not audit an integrity finding');
      }
      // Notified even if the audit failed: a tampered critical file must not wait for the database.
      if (finding.critical) safely(options.log, () => options.onCriticalTamper?.(finding));
      safely(options.log, () => options.onFinding?.(finding));
    }),
  );
  if (rest.length === 0) return;
  const critical = rest.filter((finding) => finding.critical);
  await options.audit
    .append({
      type: 'integrity.findings_summarized',
      severity: critical.length > 0 ? 'critical' : 'high',
      actor: 'system',
      action: `${rest.length} more files differ from the baseline`,
      module: 'integrity',
      details: { count: rest.length, critical: critical.length, paths: rest.slice(0, 50).map((finding) => finding.path) },
    })
    .catch((error: unknown) => options.log.error({ err: error }, 'could not audit integrity findings'));
  for (const finding of critical) safely(options.log, () => options.onCriticalTamper?.(finding));
}

function safely(log: Logger, call: () => void): void {
  try {
    call();
  } catch (error) {
    log.error({ err: error }, 'integrity finding listener failed');
  }
}
