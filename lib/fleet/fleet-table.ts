import type { HostView } from './fleet-api';

/** The fleet page's columns that sort, as they appear in `?sort=`. */
export const FLEET_SORT_KEYS = ['name', 'health', 'level', 'mode', 'incidents', 'seen'] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export interface FleetSort {
  key: FleetSortKey;
  direction: SortDirection;
}

/** Worst first is what an operator wants at 3 a.m.: the least healthy host on top. */
export const DEFAULT_FLEET_SORT: FleetSort = { key: 'health', direction: 'asc' };

/** `?sort=incidents&dir=desc`; anything else in the URL falls back to the default rather than an error page. */
export function parseFleetSort(sort: string | null, dir: string | null): FleetSort {
  const key = (FLEET_SORT_KEYS as readonly string[]).includes(sort ?? '') ? (sort as FleetSortKey) : DEFAULT_FLEET_SORT.key;
  const direction: SortDirection = dir === 'asc' || dir === 'desc' ? dir : key === DEFAULT_FLEET_SORT.key ? DEFAULT_FLEET_SORT.direction : 'asc';
  return { key, direction };
}

const LEVEL_ORDER = ['NORMAL', 'LEVEL_1', 'LEVEL_2', 'LEVEL_3', 'EMERGENCY'];
const MODE_ORDER = ['NORMAL', 'ELEVATED', 'LOCKDOWN'];
const rank = (order: string[], value: string | null) => (value === null ? -1 : order.indexOf(value));

function sortValue(host: HostView, key: FleetSortKey): number | string {
  switch (key) {
    case 'name':
      return host.name.toLowerCase();
    case 'health':
      return host.healthScore ?? -1;
    case 'level':
      return rank(LEVEL_ORDER, host.degradation);
    case 'mode':
      return rank(MODE_ORDER, host.defenseMode);
    case 'incidents':
      return host.status?.openIncidents ?? -1;
    case 'seen':
      return host.lastSeen ? Date.parse(host.lastSeen) : 0;
  }
}

/** A stable order: equal values keep the hosts' id order, so rows do not swap places on every live update. */
export function sortHosts(hosts: readonly HostView[], { key, direction }: FleetSort): HostView[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...hosts].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    return (x < y ? -sign : x > y ? sign : 0) || a.id - b.id;
  });
}

/** `site:fra` as the label filter writes it in the URL. */
export const labelKey = (name: string, value: string) => `${name}:${value}`;

export function filterHostsByLabel(hosts: readonly HostView[], label: string | null): HostView[] {
  if (!label) return [...hosts];
  return hosts.filter((host) => Object.entries(host.labels).some(([name, value]) => labelKey(name, value) === label));
}

/** Every label some host carries, sorted, for the filter's choices. */
export function fleetLabels(hosts: readonly HostView[]): string[] {
  return [...new Set(hosts.flatMap((host) => Object.entries(host.labels).map(([name, value]) => labelKey(name, value))))].sort();
}

/** When the host went away: the console's own record, else (a row from before it kept one) the last time it was seen. */
export function disconnectedSince(host: HostView): string | null {
  if (host.connected) return null;
  return host.disconnectedSince ?? host.lastSeen;
}
