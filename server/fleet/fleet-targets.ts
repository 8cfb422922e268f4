import type { FleetTarget } from '@/lib/fleet/fleet-command-api';
import type { Db } from '../db/client';
import { commandableHosts } from '../queries/fleet-commands';
import { FleetError } from './fleet-error';

/** True when the host carries every label the target names, with the same value. */
export function hasLabels(hostLabels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([name, value]) => hostLabels[name] === value);
}

/** The hosts a command's target names, revoked ones left out; a named host that is gone is a 404. */
export async function hostsOfTarget(db: Db, target: FleetTarget): Promise<Array<{ id: number; name: string; connected: boolean }>> {
  const hosts = (await commandableHosts(db)).map((host) => ({
    id: host.id,
    name: host.name,
    // As the database says: the host's socket may be on another replica.
    connected: host.connected,
    labels: JSON.parse(host.labels) as Record<string, string>,
  }));
  if ('hostId' in target) {
    const host = hosts.find((candidate) => candidate.id === target.hostId);
    if (!host) throw new FleetError('host_not_found', `no enrolled, unrevoked host ${target.hostId}`);
    return [{ id: host.id, name: host.name, connected: host.connected }];
  }
  if ('hostIds' in target) {
    const gone = target.hostIds.filter((id) => !hosts.some((host) => host.id === id));
    if (gone.length > 0) throw new FleetError('host_not_found', `no enrolled, unrevoked host ${gone.join(', ')}`);
    return hosts.filter((host) => target.hostIds.includes(host.id)).map((host) => ({ id: host.id, name: host.name, connected: host.connected }));
  }
  const chosen = 'labels' in target ? hosts.filter((host) => hasLabels(host.labels, target.labels)) : hosts;
  return chosen.map((host) => ({ id: host.id, name: host.name, connected: host.connected }));
}
