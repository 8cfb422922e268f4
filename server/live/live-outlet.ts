import type { LiveServer } from './live-server';

/** What capabilities announce to the dashboards. */
export type LiveEmitter = Omit<LiveServer, 'io' | 'connectedClients' | 'close'>;

export interface LiveOutlet extends LiveEmitter {
  /** From now on announcements reach this socket server's clients. */
  attach(server: LiveEmitter): void;
}

/**
 * Where capabilities send live events before the socket server exists (it starts after them,
 * reading the health monitor and the cluster's pool). Until it is attached nobody could be
 * listening, so events are dropped, never queued.
 */
export function createLiveOutlet(): LiveOutlet {
  let server: LiveEmitter | null = null;
  return {
    attach: (next) => void (server = next),
    emitHealth: (snapshot) => server?.emitHealth(snapshot),
    emitDegradation: (change) => server?.emitDegradation(change),
    emitAudit: (events) => server?.emitAudit(events),
    emitRecoveryProgress: (progress) => server?.emitRecoveryProgress(progress),
    emitThreat: (threat) => server?.emitThreat(threat),
    emitDecision: (change) => server?.emitDecision(change),
    emitDefenseMode: (change) => server?.emitDefenseMode(change),
    emitIntegrityFinding: (finding) => server?.emitIntegrityFinding(finding),
    emitModules: (modules) => server?.emitModules(modules),
    emitIncident: (incident) => server?.emitIncident(incident),
    emitForecast: (update) => server?.emitForecast(update),
    emitConfigStatus: (status) => server?.emitConfigStatus(status),
    emitFleetCommand: (update) => server?.emitFleetCommand(update),
    emitFleetHosts: (change) => server?.emitFleetHosts(change),
  };
}
