import { SIGNAL_KINDS, type SignalKind } from '../defense/signals';

/**
 * The label contract between Vigil and Alertmanager, both ways: the labels Vigil puts on its
 * own alerts, and the labels by which an incoming alert is tied to a module or a source.
 */

/** On every alert Vigil sends: the incident it is about. An alert carrying it is Vigil's own, echoed back. */
export const INCIDENT_LABEL = 'vigil_incident';

/** Checked in this order; the first whose value names a known module wins. */
export const MODULE_LABELS = ['vigil_module', 'module', 'service', 'job'] as const;

/**
 * Where a security alert says the attacker is. `instance` is deliberately absent: in Prometheus
 * it is the scraped target (one of our own hosts), and isolating it would lock out a server.
 */
export const SOURCE_LABELS = ['source', 'source_ip', 'src_ip', 'client_ip'] as const;

/** `vigil_kind="threat"` marks a security alert; `vigil_signal` picks the detector signal (default `custom`). */
export const KIND_LABEL = 'vigil_kind';
export const SIGNAL_LABEL = 'vigil_signal';

export type AlertRoute =
  | { to: 'own'; incidentId: string; module: string | null }
  | { to: 'module'; module: string }
  | { to: 'threat'; source: string; signal: SignalKind }
  | { to: 'external' };

const isSignalKind = (value: string | undefined): value is SignalKind => (SIGNAL_KINDS as readonly string[]).includes(value ?? '');

/**
 * Where one alert goes. Vigil's own alerts never open anything (they would echo forever);
 * a threat needs a usable address; anything else that names a module is about that module.
 */
export function routeAlert(labels: Record<string, string>, input: { knownModules: ReadonlySet<string>; isAddress: (value: string) => boolean }): AlertRoute {
  const moduleName = MODULE_LABELS.map((label) => labels[label]).find((value) => value !== undefined && input.knownModules.has(value)) ?? null;
  const incidentId = labels[INCIDENT_LABEL];
  if (incidentId) return { to: 'own', incidentId, module: moduleName };
  if (labels[KIND_LABEL] === 'threat') {
    const source = SOURCE_LABELS.map((label) => labels[label]?.trim()).find((value) => value !== undefined && input.isAddress(value));
    if (source) return { to: 'threat', source, signal: isSignalKind(labels[SIGNAL_LABEL]) ? labels[SIGNAL_LABEL] : 'custom' };
  }
  return moduleName ? { to: 'module', module: moduleName } : { to: 'external' };
}

/** Alertmanager's label names; extra labels that break it are refused at config load, not at delivery. */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
