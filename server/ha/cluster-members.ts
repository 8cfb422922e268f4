import type pg from 'pg';
import type { ClusterMember } from '@/lib/ha/cluster-messages';
import { CLUSTER_CHANNEL_APPLICATION } from './cluster-bus';
import { LEADER_LOCK_KEY, LEADER_ELECTION_APPLICATION } from './leader-election';

/**
 * Who is in the cluster, from PostgreSQL itself rather than a registry that could go stale:
 * every live replica holds a listening session named after it, and the leader's election
 * session holds the advisory lock.
 */
export async function listClusterMembers(pool: pg.Pool): Promise<ClusterMember[]> {
  const { rows } = await pool.query<{ application_name: string; address: string | null; backend_start: Date; leader: boolean }>(
    `SELECT a.application_name, host(a.client_addr) AS address, a.backend_start,
            EXISTS (
              SELECT 1 FROM pg_locks l JOIN pg_stat_activity e ON e.pid = l.pid
              WHERE l.locktype = 'advisory' AND l.granted AND l.objid = $1 AND l.database = a.datid
                AND e.application_name = $2 || substr(a.application_name, length($3) + 1)
            ) AS leader
       FROM pg_stat_activity a
      WHERE a.datname = current_database() AND a.application_name LIKE $3 || '%'
      ORDER BY a.backend_start`,
    [LEADER_LOCK_KEY, LEADER_ELECTION_APPLICATION, CLUSTER_CHANNEL_APPLICATION],
  );
  return rows.map((row) => ({
    node: row.application_name.slice(CLUSTER_CHANNEL_APPLICATION.length),
    address: row.address,
    since: row.backend_start.toISOString(),
    leader: row.leader,
  }));
}

/** The node whose election session holds the leader's lock now, or null between leaders. */
export async function lockHolder(pool: pg.Pool): Promise<string | null> {
  const { rows } = await pool.query<{ application_name: string }>(
    `SELECT e.application_name
       FROM pg_locks l JOIN pg_stat_activity e ON e.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objid = $1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [LEADER_LOCK_KEY],
  );
  const name = rows[0]?.application_name;
  return name?.startsWith(LEADER_ELECTION_APPLICATION) ? name.slice(LEADER_ELECTION_APPLICATION.length) : null;
}
