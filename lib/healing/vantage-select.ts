import { LOCAL_HOST_ID } from '../audit/types';
import type { Vantage } from './vantage-schema';

export interface VantageHost {
  id: number;
  name: string;
  labels: Record<string, string>;
}

/**
 * The agents a module's vantage selects: named (by name or id) or matching every label; never the
 * console itself, which `includeConsole` adds. The console's assignments and the module editor's
 * count of vantage points both read it, so the form says what the console will do.
 */
export function selectVantageHosts<H extends VantageHost>(vantage: Pick<Vantage, 'hosts' | 'labels'>, hosts: readonly H[]): H[] {
  const named = new Set(vantage.hosts.map(String));
  const labels = Object.entries(vantage.labels ?? {});
  return hosts.filter(
    (host) =>
      host.id !== LOCAL_HOST_ID &&
      (named.has(String(host.id)) || named.has(host.name) || (labels.length > 0 && labels.every(([k, v]) => host.labels[k] === v))),
  );
}
