export { startFleetAgent, startFleetConsole, type FleetConsole } from './start-fleet';
export type { FleetIsolationRequest } from './fleet-hub';
export { localHeartbeat } from './local-heartbeat';
export { restorePushedConfig } from './fleet-config-agent';
