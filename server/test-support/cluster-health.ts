export interface ClusterHealth {
  status: string;
  healthScore: number | null;
  cluster?: { node: string; role: 'leader' | 'standby'; leader: string | null; since: string };
}

/** A replica's /healthz, or null while it does not answer. */
export async function clusterHealth(replica: { url: string }): Promise<ClusterHealth | null> {
  try {
    const response = await fetch(`${replica.url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return (await response.json()) as ClusterHealth;
  } catch {
    return null;
  }
}
