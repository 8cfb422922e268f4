import { randomUUID } from 'node:crypto';
import type { Diagnosis, Finding } from '@/lib/healing/diagnosis';
import type { EscalationLevel, IncidentNotification, IncidentSeverity, IncidentSummary } from '@/lib/healing/incident';
import { notificationsDue, type EscalationPolicy } from '@/lib/healing/escalation';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import { dbErrorMessage } from '../db/db-error';
import type { Logger } from '../log';
import { insertIncident, insertIncidentStep, updateIncident } from '../queries/incidents';

export interface IncidentSinks {
  escalation: () => EscalationPolicy;
  /** True while the module is in a maintenance window: no one is paged for it. */
  silenced: (module: string, at: Date) => boolean;
  database: Database;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  log: Logger;
  onIncident?: (incident: IncidentSummary) => void;
  notify?: (notification: IncidentNotification) => void;
}

function newIncident(
  fields: Pick<IncidentSummary, 'module' | 'title' | 'severity' | 'failureClass' | 'rootCause' | 'confidence'> & { at: number },
): IncidentSummary {
  const { at, ...rest } = fields;
  return {
    ...rest,
    id: randomUUID(),
    title: fields.title.slice(0, 300),
    state: 'open',
    escalationLevel: 1,
    openedAt: new Date(at).toISOString(),
    resolvedAt: null,
    affectedDependents: [],
  };
}

const SEVERITY_FOR_AUDIT = { warning: 'warning', high: 'high', critical: 'critical' } as const;

/**
 * Only the step that opens an incident carries its severity: a restart that healed a critical
 * module in 410 ms wrote five critical events (detected, classified, action, escalated,
 * verified), and an audit trail filtered on "critical" should list the incident once.
 */
function stepSeverity(kind: string, severity: IncidentSeverity): 'info' | 'notice' | (typeof SEVERITY_FOR_AUDIT)[IncidentSeverity] {
  if (kind === 'detected') return SEVERITY_FOR_AUDIT[severity];
  return kind === 'resolved' || kind === 'verified' ? 'info' : 'notice';
}

/**
 * Opens, narrates and closes incidents. Every step is a row of the incident's timeline and an
 * audit event; a database hiccup is logged, never allowed to stop the healing itself.
 */
export class IncidentManager {
  private readonly open = new Map<string, IncidentSummary>();
  /**
   * Incidents opened by an external alert: narrated and listed like the others, but left out of
   * escalation, reminders and recovery, because Alertmanager already pages people for them and
   * an alert does not say what to repair.
   */
  private readonly external = new Map<string, IncidentSummary>();
  /** Per incident: the level last considered for notifications and when people were last told. */
  private readonly notified = new Map<string, { level: EscalationLevel; at: number | null }>();

  constructor(private readonly sinks: IncidentSinks) {}

  get(id: string): IncidentSummary | undefined {
    return this.open.get(id) ?? this.external.get(id);
  }

  openIncidents(): IncidentSummary[] {
    return [...this.open.values()];
  }

  externalIncidents(): IncidentSummary[] {
    return [...this.external.values()];
  }

  isExternal(id: string): boolean {
    return this.external.has(id);
  }

  async openForAlert(input: { module: string; title: string; severity: IncidentSeverity; at: number }): Promise<IncidentSummary> {
    const incident = newIncident({
      module: input.module,
      title: `${input.module}: ${input.title}`,
      severity: input.severity,
      // The module may still answer its probes; what the alert reports is, at most, a degradation.
      failureClass: 'degradation',
      rootCause: null,
      confidence: 0,
      at: input.at,
    });
    this.external.set(incident.id, incident);
    await this.persist(() => insertIncident(this.sinks.database.prisma, { ...incident, firstFailureAt: new Date(input.at), detectedAt: new Date(input.at) }));
    this.sinks.onIncident?.(incident);
    return incident;
  }

  async openIncident(input: {
    module: string;
    critical: boolean;
    diagnosis: Diagnosis;
    findings: readonly Finding[];
    firstFailureAt: number;
    detectedAt: number;
  }): Promise<IncidentSummary> {
    const { diagnosis } = input;
    const title = `${input.module}: ${input.findings[0]?.message ?? 'failing'}`;
    const incident = newIncident({
      module: input.module,
      title,
      severity: diagnosis.severity,
      failureClass: diagnosis.failureClass,
      rootCause: diagnosis.rootCause,
      confidence: diagnosis.confidence,
      at: input.detectedAt,
    });
    this.open.set(incident.id, incident);
    await this.persist(() =>
      insertIncident(this.sinks.database.prisma, { ...incident, firstFailureAt: new Date(input.firstFailureAt), detectedAt: new Date(input.detectedAt) }),
    );
    await this.step(
      incident,
      'detected',
      `detected ${input.findings.map((f) => f.message).join('; ')} (${input.detectedAt - input.firstFailureAt} ms after the first failure)`,
      { findings: input.findings.map((f) => ({ kind: f.kind, ...f.evidence })), mttdMs: input.detectedAt - input.firstFailureAt },
    );
    await this.step(
      incident,
      'classified',
      `${diagnosis.failureClass.replaceAll('_', ' ')}; likely ${diagnosis.rootCause.replaceAll('_', ' ')} (confidence ${diagnosis.confidence})${diagnosis.reasons.length > 0 ? `: ${diagnosis.reasons.join('; ')}` : ''}`,
      {
        failureClass: diagnosis.failureClass,
        rootCause: diagnosis.rootCause,
        confidence: diagnosis.confidence,
        severity: diagnosis.severity,
        urgency: diagnosis.urgency,
        reasons: diagnosis.reasons,
      },
    );
    this.sinks.onIncident?.(incident);
    return incident;
  }

  async step(incident: IncidentSummary, kind: string, message: string, details: Record<string, unknown> = {}, at = Date.now()): Promise<void> {
    await this.persist(() => insertIncidentStep(this.sinks.database.prisma, incident.id, { at: new Date(at), kind, message, details }));
    await this.sinks.audit
      .append({
        type: `healing.${kind}`,
        severity: stepSeverity(kind, incident.severity),
        actor: typeof details.actor === 'string' ? details.actor : 'healing',
        action: message.slice(0, 200),
        module: incident.module,
        resource: `incident:${incident.id}`,
        reason: typeof details.why === 'string' ? details.why : null,
        method: 'healing',
        details: { incidentId: incident.id, ...details },
      })
      .catch((error: unknown) => this.sinks.log.warn({ err: (error as Error).message }, 'could not audit an incident step'));
  }

  async foldDependent(incident: IncidentSummary, dependent: string): Promise<void> {
    if (incident.affectedDependents.includes(dependent)) return;
    incident.affectedDependents = [...incident.affectedDependents, dependent];
    await this.persist(() => updateIncident(this.sinks.database.prisma, incident.id, { affectedDependents: incident.affectedDependents }));
    await this.step(incident, 'folded', `${dependent} fails because it depends on ${incident.module}: its alerts are folded into this incident`, { dependent });
    this.sinks.onIncident?.(incident);
  }

  /** Replaces the modules an aggregate incident covers, without a timeline step for each. */
  async setAffected(incident: IncidentSummary, modules: string[]): Promise<void> {
    if (incident.state !== 'open') return;
    incident.affectedDependents = modules;
    await this.persist(() => updateIncident(this.sinks.database.prisma, incident.id, { affectedDependents: modules }));
    this.sinks.onIncident?.(incident);
  }

  async escalate(incident: IncidentSummary, level: EscalationLevel, why: string): Promise<void> {
    if (level <= incident.escalationLevel) return;
    incident.escalationLevel = level;
    await this.persist(() => updateIncident(this.sinks.database.prisma, incident.id, { escalationLevel: level }));
    await this.step(incident, 'escalated', `escalated to level ${level}: ${why}`, { level, why });
    await this.notifyIfDue(incident);
    this.sinks.onIncident?.(incident);
  }

  async resolve(incident: IncidentSummary, message: string, at = Date.now()): Promise<void> {
    incident.state = 'resolved';
    incident.resolvedAt = new Date(at).toISOString();
    this.open.delete(incident.id);
    this.external.delete(incident.id);
    const mttrMs = at - Date.parse(incident.openedAt);
    await this.persist(() => updateIncident(this.sinks.database.prisma, incident.id, { resolvedAt: new Date(at) }));
    await this.step(incident, 'resolved', `${message} (MTTR ${(mttrMs / 1000).toFixed(1)} s)`, { mttrMs }, at);
    await this.notifyIfDue(incident, at);
    this.notified.delete(incident.id);
    this.sinks.onIncident?.(incident);
  }

  /** Reminders for incidents that stay open; called on the engine's escalation tick. */
  async remind(now = Date.now()): Promise<void> {
    for (const incident of this.open.values()) await this.notifyIfDue(incident, now);
  }

  private async notifyIfDue(incident: IncidentSummary, now = Date.now()): Promise<void> {
    if (!this.sinks.notify) return;
    const state = this.notified.get(incident.id) ?? { level: 1, at: null };
    const due = notificationsDue({
      incident,
      previousLevel: state.level,
      lastNotifiedAt: state.at === null ? null : new Date(state.at),
      now: new Date(now),
      policy: this.sinks.escalation(),
    });
    this.notified.set(incident.id, { ...state, level: incident.escalationLevel });
    if (!due || this.sinks.silenced(incident.module, new Date(now))) return;
    this.notified.set(incident.id, { level: incident.escalationLevel, at: now });
    const message = due.kind === 'recovery' ? `${incident.module} recovered` : `${incident.title} (level ${incident.escalationLevel}: ${due.why})`;
    this.sinks.notify({ kind: due.kind, incident: { ...incident }, message });
    await this.step(incident, 'notified', `${due.kind} sent: ${due.why}`, { kind: due.kind });
  }

  private async persist(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.sinks.log.warn({ err: dbErrorMessage(error) }, 'could not store an incident change');
    }
  }
}
