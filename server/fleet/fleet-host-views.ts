import { fleetHeartbeatSchema, type HostView } from '@/lib/fleet/fleet-api';
import { parseHostStatus, statusOfHeartbeat } from '@/lib/fleet/host-status';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { listHosts, LOCAL_HOST_ID, recordHostHeartbeat } from '../queries/hosts';
import type { LocalHostState } from './fleet-hub-types';

/** Every host as the fleet page and `GET /api/v1/hosts` show it; host 1 (this worker) read live. */
export async function hostViews(database: Database, local: LocalHostState): Promise<HostView[]> {
  const rows = await listHosts(database.prisma);
  return rows.map((row) => {
    const isLocal = row.id === LOCAL_HOST_ID;
    return {
      id: row.id,
      name: row.name,
      labels: JSON.parse(row.labels) as Record<string, string>,
      // From the database, so a standby replica answers the same as the one holding the socket.
      connected: isLocal || (row.connected && row.revokedAt === null),
      lastSeen: isLocal ? new Date().toISOString() : (row.lastSeen?.toISOString() ?? null),
      disconnectedSince: isLocal || row.connected ? null : (row.disconnectedSince?.toISOString() ?? null),
      healthScore: isLocal ? local.healthScore : row.healthScore,
      degradation: isLocal ? local.degradation : row.degradation,
      defenseMode: isLocal ? local.defenseMode : row.defenseMode,
      revokedAt: row.revokedAt?.toISOString() ?? null,
      status: isLocal ? local.status : parseHostStatus(row.status),
    };
  });
}

/**
 * A heartbeat from an agent, checked and written to its host's row; a malformed one is logged and
 * dropped. 'unheld' when no connection holds the row, so nothing was written (see recordHostHeartbeat).
 */
export async function recordFleetHeartbeat(
  deps: { database: Database; log: Logger; onHostChanged?: (hostId: number) => void },
  hostId: number,
  raw: unknown,
): Promise<'written' | 'unheld' | 'dropped'> {
  const beat = fleetHeartbeatSchema.safeParse(raw);
  if (!beat.success) {
    deps.log.warn({ hostId }, 'ignored a malformed fleet heartbeat');
    return 'dropped';
  }
  try {
    const { healthScore, degradation, defenseMode } = beat.data;
    const written = await recordHostHeartbeat(deps.database.prisma, hostId, {
      at: new Date(),
      healthScore,
      degradation,
      defenseMode,
      status: statusOfHeartbeat(beat.data),
    });
    if (!written) return 'unheld';
    deps.onHostChanged?.(hostId);
    return 'written';
  } catch (error) {
    deps.log.warn({ hostId, err: (error as Error).message }, 'could not record a fleet heartbeat');
    return 'dropped';
  }
}
