import { statusPageContracts } from '@/server/contracts';
import { WorkerClient } from '@/server/web/worker-client';
import { webEnv } from './web-env';

/** How long the host → page map is trusted before it is asked again (in the background). */
const REFRESH_MS = 30_000;
const LOOKUP_TIMEOUT_MS = 2000;

const holder = globalThis as unknown as { vigilStatusDomains?: { domains: Record<string, string>; at: number }; vigilStatusDomainsRefresh?: Promise<void> };

async function refresh(): Promise<void> {
  try {
    const env = webEnv();
    const { domains } = await new WorkerClient(env.workerUrl, env.secret, LOOKUP_TIMEOUT_MS).call(statusPageContracts.domains, {});
    holder.vigilStatusDomains = { domains, at: Date.now() };
  } catch {
    // The worker is away: keep the last map, and ask again on a later request.
  } finally {
    holder.vigilStatusDomainsRefresh = undefined;
  }
}

/**
 * The status page a custom domain shows, from a map the worker keeps, looked up without
 * waiting: every request passes here, so the map is refreshed in the background (a page
 * added a moment ago answers on its domain within the refresh interval).
 */
export function statusSlugForHost(hostname: string | null): string | undefined {
  const known = holder.vigilStatusDomains;
  if ((!known || Date.now() - known.at > REFRESH_MS) && !holder.vigilStatusDomainsRefresh) holder.vigilStatusDomainsRefresh = refresh();
  if (!hostname || !known) return undefined;
  const host = hostname.toLowerCase();
  return Object.hasOwn(known.domains, host) ? known.domains[host] : undefined;
}
