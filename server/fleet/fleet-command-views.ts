import type { FleetCommandView, FleetHostStatus } from '@/lib/fleet/fleet-command-api';
import type { Database } from '../db/client';
import { findFleetCommand, recentFleetCommands } from '../queries/fleet-commands';
import type { FleetHub } from './fleet-hub';

type CommandRow = NonNullable<Awaited<ReturnType<typeof findFleetCommand>>>;

/** A command's row and its hosts' rows as the API shows them; a host since deleted is named by its id. */
export function fleetCommandView(command: CommandRow, names: ReadonlyMap<number, string>): FleetCommandView {
  return {
    id: command.id,
    kind: command.kind,
    action: JSON.parse(command.action) as Record<string, unknown>,
    target: JSON.parse(command.target) as Record<string, unknown>,
    actor: command.actor,
    createdAt: command.createdAt.toISOString(),
    expiresAt: command.expiresAt.toISOString(),
    hosts: command.hosts.map((row) => ({
      hostId: row.hostId,
      name: names.get(row.hostId) ?? `host ${row.hostId}`,
      status: row.status as FleetHostStatus,
      message: row.message,
      progress: row.progress === null ? null : (JSON.parse(row.progress) as FleetCommandView['hosts'][number]['progress']),
      updatedAt: row.updatedAt.toISOString(),
    })),
  };
}

/**
 * The newest commands first, for the fleet page's history. Rows of an expired command that no
 * host answered are shown as recorded; the page reads them as expired by the command's expiry.
 */
export async function recentFleetCommandViews(
  { database, hub }: { database: Database; hub: Pick<FleetHub, 'hosts'> },
  limit: number,
): Promise<FleetCommandView[]> {
  const [commands, hosts] = await Promise.all([recentFleetCommands(database.prisma, limit), hub.hosts()]);
  const names = new Map(hosts.map((host) => [host.id, host.name]));
  return commands.map((command) => fleetCommandView(command, names));
}
