import type { IncidentSeverity, IncidentSummary } from '@/lib/healing/incident';
import type { ModuleState } from '@/lib/healing/module-schema';
import type { IncidentManager } from './incident-manager';

const MAX_JOINED = 10_000;

/** One alert from Alertmanager about a module Vigil knows. */
export interface ModuleAlert {
  fingerprint: string;
  module: string;
  alertname: string;
  severity: IncidentSeverity;
  summary: string | null;
  /** Who delivered it, for the incident's timeline, e.g. `token:alertmanager`. */
  actor: string;
  at: number;
}

export interface AlertIncidentOutcome {
  incidentId: string;
  /** False when the alert joined an incident that was already open. */
  opened: boolean;
}

export interface AlertIncidentsDeps {
  incidents: IncidentManager;
  /** The module's state and the engine's own open incident for it, if any. */
  module: (name: string) => { state: ModuleState; incidentId: string | null } | undefined;
}

/**
 * Ties Alertmanager alerts to incidents. An alert about a module joins the incident the engine
 * has open for it, else one opened by an earlier alert, else opens one. An incident opened by
 * alerts closes once all its alerts are resolved and the module itself is up.
 */
export class AlertIncidents {
  /** Firing alert fingerprint → the incident it joined. */
  private readonly joined = new Map<string, string>();
  /** Alert incidents with no firing alert left, closing as soon as their module is up. */
  private readonly settling = new Set<string>();

  /** One change at a time: two alerts for one module arriving together must join one incident. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AlertIncidentsDeps) {}

  fired(alert: ModuleAlert): Promise<AlertIncidentOutcome> {
    return this.serial(() => this.join(alert));
  }

  /** False when the alert joined no incident that is still open. */
  resolved(alert: Pick<ModuleAlert, 'fingerprint' | 'alertname' | 'actor'>): Promise<boolean> {
    return this.serial(() => this.leave(alert));
  }

  /** Called after module changes: an alert incident waiting for its module closes once it is up. */
  settle(): Promise<void> {
    return this.settling.size === 0 ? Promise.resolve() : this.serial(() => this.closeSettled());
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async join(alert: ModuleAlert): Promise<AlertIncidentOutcome> {
    const { incidents } = this.deps;
    const earlier = this.joined.get(alert.fingerprint);
    const already = earlier === undefined ? undefined : incidents.get(earlier);
    // Resent every repeat_interval: the alert is already on its incident's timeline.
    if (already) return { incidentId: already.id, opened: false };
    let incident = this.openFor(alert.module);
    const opened = incident === undefined;
    incident ??= await incidents.openForAlert({ module: alert.module, title: alert.summary ?? alert.alertname, severity: alert.severity, at: alert.at });
    this.forgetClosed();
    this.joined.set(alert.fingerprint, incident.id);
    this.settling.delete(incident.id);
    const summary = alert.summary ? `: ${alert.summary}` : '';
    await incidents.step(
      incident,
      'alert_received',
      `alert ${alert.alertname} firing${summary}`.slice(0, 500),
      { alertname: alert.alertname, severity: alert.severity, summary: alert.summary, fingerprint: alert.fingerprint, actor: alert.actor },
      alert.at,
    );
    return { incidentId: incident.id, opened };
  }

  private async leave(alert: Pick<ModuleAlert, 'fingerprint' | 'alertname' | 'actor'>): Promise<boolean> {
    const id = this.joined.get(alert.fingerprint);
    if (id === undefined) return false;
    this.joined.delete(alert.fingerprint);
    const incident = this.deps.incidents.get(id);
    if (!incident) return false;
    await this.deps.incidents.step(incident, 'alert_resolved', `alert ${alert.alertname} resolved`, {
      alertname: alert.alertname,
      fingerprint: alert.fingerprint,
      actor: alert.actor,
    });
    if (this.deps.incidents.isExternal(id) && ![...this.joined.values()].includes(id)) {
      this.settling.add(id);
      await this.closeSettled();
    }
    return true;
  }

  private async closeSettled(): Promise<void> {
    for (const id of [...this.settling]) {
      const incident = this.deps.incidents.get(id);
      if (!incident) {
        this.settling.delete(id);
        continue;
      }
      const runtime = this.deps.module(incident.module);
      if (runtime && runtime.state !== 'up') continue;
      this.settling.delete(id);
      await this.deps.incidents.resolve(
        incident,
        runtime ? `all alerts resolved and ${incident.module} is up` : `all alerts resolved; ${incident.module} is no longer defined`,
      );
    }
  }

  /** One of Vigil's own alerts came back through Alertmanager: proof on the incident that it got there. */
  async echoed(input: { incidentId: string; alertname: string; fingerprint: string; actor: string }): Promise<boolean> {
    const incident = this.deps.incidents.get(input.incidentId);
    if (!incident) return false;
    await this.deps.incidents.step(incident, 'alert_received', `Alertmanager routed Vigil's alert ${input.alertname} back`, {
      alertname: input.alertname,
      fingerprint: input.fingerprint,
      actor: input.actor,
      own: true,
    });
    return true;
  }

  /** Alerts whose resolution never came (send_resolved off) must not pile up forever. */
  private forgetClosed(): void {
    if (this.joined.size < MAX_JOINED) return;
    for (const [fingerprint, id] of this.joined) if (!this.deps.incidents.get(id)) this.joined.delete(fingerprint);
    while (this.joined.size >= MAX_JOINED) this.joined.delete(this.joined.keys().next().value as string);
  }

  private openFor(module: string): IncidentSummary | undefined {
    const { incidents } = this.deps;
    const engineIncident = this.deps.module(module)?.incidentId;
    const own = engineIncident ? incidents.get(engineIncident) : undefined;
    return own ?? incidents.externalIncidents().find((incident) => incident.module === module);
  }
}
