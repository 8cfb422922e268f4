import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { routeAlert, type AlertRoute } from '@/lib/alerts/alert-labels';
import { incidentSeverityOf, severityFromLabel, type AlertmanagerAlert } from '@/lib/alerts/alertmanager-webhook';
import type { AuditEventInput } from '@/lib/audit/types';
import type { SignalSink } from '@/lib/defense/signals';
import type { HealingService } from '../healing';

export interface AlertIntakeDeps {
  audit: { append(input: AuditEventInput): Promise<unknown> };
  healing: Pick<HealingService, 'alerts' | 'moduleNames'>;
  /** The defense's signal sink: security alerts count towards its detectors like any other signal. */
  signals: SignalSink;
}

export interface AlertIntakeResult {
  received: number;
  /** Audit events written: new firing alerts and the resolution of alerts seen firing. */
  recorded: number;
  /** Firing alerts already seen: Alertmanager resends them every repeat_interval. */
  duplicates: number;
  /** New firing alerts tied to a known module. */
  moduleSignals: number;
  /** Incidents opened by alerts in this payload. */
  incidentsOpened: number;
  /** Security alerts handed to the defense as signals. */
  threatSignals: number;
}

/** Alertmanager sends it; a hand-written payload may not, and the labels identify an alert just as well. */
export const fingerprintOf = (alert: AlertmanagerAlert): string =>
  alert.fingerprint ??
  createHash('sha256')
    .update(JSON.stringify(Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex')
    .slice(0, 16);

/** Firing fingerprints remembered; past this the oldest are forgotten, so a lost resolve cannot grow it forever. */
const MAX_FIRING = 20_000;
/** A threat's time is when it started, but a stale or future one would skew the detectors' windows. */
const SIGNAL_CLOCK_SKEW_MS = 3_600_000;

/**
 * Turns Alertmanager's webhook notifications into audit events, incidents and defense signals.
 * Each firing alert counts once however often Alertmanager resends it; its resolution counts
 * only if it was seen firing.
 */
export class AlertIntake {
  private readonly firing = new Map<string, AlertRoute>();

  constructor(private readonly deps: AlertIntakeDeps) {}

  async receive(alerts: AlertmanagerAlert[], actor: string, now = Date.now()): Promise<AlertIntakeResult> {
    const result: AlertIntakeResult = { received: alerts.length, recorded: 0, duplicates: 0, moduleSignals: 0, incidentsOpened: 0, threatSignals: 0 };
    const knownModules = new Set(this.deps.healing.moduleNames());
    for (const alert of alerts) {
      const fingerprint = fingerprintOf(alert);
      if (alert.status === 'resolved') {
        const route = this.firing.get(fingerprint);
        if (!route) continue;
        this.firing.delete(fingerprint);
        await this.deps.audit.append(auditEvent({ alert, fingerprint, route, actor }));
        result.recorded += 1;
        if (route.to === 'module') await this.deps.healing.alerts.resolved({ fingerprint, alertname: alertName(alert), actor });
        continue;
      }
      if (this.firing.has(fingerprint)) {
        result.duplicates += 1;
        continue;
      }
      const route = routeAlert(alert.labels, { knownModules, isAddress: (value) => isIP(value) !== 0 });
      this.remember(fingerprint, route);
      await this.deps.audit.append(auditEvent({ alert, fingerprint, route, actor }));
      result.recorded += 1;
      await this.dispatch({ alert, fingerprint, route, actor, now }, result);
    }
    return result;
  }

  private async dispatch(
    input: { alert: AlertmanagerAlert; fingerprint: string; route: AlertRoute; actor: string; now: number },
    result: AlertIntakeResult,
  ): Promise<void> {
    const { alert, fingerprint, route, actor } = input;
    switch (route.to) {
      case 'own':
        await this.deps.healing.alerts.echoed({ incidentId: route.incidentId, alertname: alertName(alert), fingerprint, actor });
        return;
      case 'module': {
        result.moduleSignals += 1;
        const severity = incidentSeverityOf(severityFromLabel(alert.labels.severity));
        const outcome = await this.deps.healing.alerts.fired({
          fingerprint,
          module: route.module,
          alertname: alertName(alert),
          severity,
          summary: summaryOf(alert),
          actor,
          at: input.now,
        });
        if (outcome.opened) result.incidentsOpened += 1;
        return;
      }
      case 'threat': {
        const started = Date.parse(alert.startsAt);
        const at = Math.min(input.now, Math.max(input.now - SIGNAL_CLOCK_SKEW_MS, started));
        this.deps.signals({ kind: route.signal, source: route.source, user: alert.labels.user, path: alert.labels.path, origin: 'alertmanager', at });
        result.threatSignals += 1;
        return;
      }
      case 'external':
        return;
    }
  }

  private remember(fingerprint: string, route: AlertRoute): void {
    while (this.firing.size >= MAX_FIRING) this.firing.delete(this.firing.keys().next().value as string);
    this.firing.set(fingerprint, route);
  }
}

const alertName = (alert: AlertmanagerAlert): string => alert.labels.alertname ?? 'unnamed alert';
const summaryOf = (alert: AlertmanagerAlert): string | null => alert.annotations.summary ?? alert.annotations.description ?? null;

function moduleOf(route: AlertRoute): string | null {
  if (route.to === 'module') return route.module;
  if (route.to === 'own') return route.module;
  if (route.to === 'threat') return 'defense';
  return null;
}

function auditEvent(input: { alert: AlertmanagerAlert; fingerprint: string; route: AlertRoute; actor: string }): AuditEventInput {
  const { alert, route } = input;
  const name = alertName(alert);
  const firing = alert.status === 'firing';
  const moduleName = moduleOf(route);
  return {
    type: firing ? 'alert.received' : 'alert.resolved',
    severity: firing ? severityFromLabel(alert.labels.severity) : 'info',
    actor: input.actor,
    action: `Alertmanager alert ${name} ${alert.status}`.slice(0, 200),
    module: moduleName ?? 'alertmanager',
    resource: input.fingerprint,
    source: route.to === 'threat' ? route.source : null,
    reason: summaryOf(alert)?.slice(0, 2000) ?? null,
    method: 'alertmanager',
    details: {
      alertname: name,
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      routedTo: route.to,
      knownModule: route.to === 'module' || (route.to === 'own' && route.module !== null),
    },
  };
}
