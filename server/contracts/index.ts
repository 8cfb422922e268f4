import { alertsContracts } from './alerts-contracts';
import { defenseContracts } from './defense-contracts';
import { fleetCommandContracts } from './fleet-command-contracts';
import { fleetConfigContracts } from './fleet-config-contracts';
import { fleetContracts } from './fleet-contracts';
import { fleetPageContracts } from './fleet-page-contracts';
import { forecastContracts } from './forecast-contracts';
import { healingContracts } from './healing-contracts';
import { healthContracts } from './health-contracts';
import { hostSectionContracts } from './host-section-contracts';
import { machineContracts } from './machine-contracts';
import { operationsContracts } from './operations-contracts';
import { offsiteContracts } from './offsite-contracts';
import { recoveryContracts } from './recovery-contracts';
import { settingsContracts } from './settings-contracts';
import { statusPageContracts } from './status-page-contracts';
import type { RouteContract } from './route-contract';

export {
  alertsContracts,
  defenseContracts,
  fleetCommandContracts,
  fleetConfigContracts,
  fleetContracts,
  fleetPageContracts,
  forecastContracts,
  healingContracts,
  healthContracts,
  hostSectionContracts,
  machineContracts,
  offsiteContracts,
  operationsContracts,
  recoveryContracts,
  settingsContracts,
  statusPageContracts,
};
export { defineRoute, type HttpMethod, type PathParams, type RouteContract } from './route-contract';

/**
 * Every worker endpoint. The worker registers a handler for each (a test fails for a contract
 * without a route, or a route without a contract); the OpenAPI document and the web app's worker
 * client read the same objects.
 */
const GROUPS: Record<string, Record<string, RouteContract>> = {
  health: healthContracts,
  machine: machineContracts,
  defense: defenseContracts,
  healing: healingContracts,
  recovery: recoveryContracts,
  offsite: offsiteContracts,
  forecast: forecastContracts,
  operations: operationsContracts,
  statusPages: statusPageContracts,
  alerts: alertsContracts,
  fleet: fleetContracts,
  fleetCommands: fleetCommandContracts,
  fleetConfig: fleetConfigContracts,
  fleetPage: fleetPageContracts,
  hostSections: hostSectionContracts,
  settings: settingsContracts,
};

export const WORKER_CONTRACTS: readonly RouteContract[] = Object.values(GROUPS).flatMap((group) => Object.values(group));

const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `GET /api/v1/threats`: how a route is told apart, by the router as by a caller. */
export const routeKey = (route: Pick<RouteContract, 'method' | 'path'>) => `${route.method} ${route.path}`;

/**
 * A readable name per contract for the document's schema components (`IngestRequest`), by route
 * key: its key in its group, or its group and key where two groups use the same key (`DefenseOverview`).
 */
export const CONTRACT_NAMES: ReadonlyMap<string, string> = (() => {
  const keys = Object.values(GROUPS).flatMap((group) => Object.keys(group));
  const entries = Object.entries(GROUPS).flatMap(([groupName, group]) =>
    Object.entries(group).map(
      ([key, contract]) => [routeKey(contract), keys.filter((k) => k === key).length > 1 ? pascal(groupName) + pascal(key) : pascal(key)] as const,
    ),
  );
  return new Map(entries);
})();
