import type { HostSection, HostThreatsView } from '@/lib/fleet/fleet-query-api';
import type { FleetCommandServices } from './fleet-command-runner';

/** The threats list as the local API's default page: the recent ones a page shows. */
const THREATS_SHOWN = 100;

/**
 * One view of this host, produced by the same service calls as its own routes (healing, modules,
 * incidents, threats, recovery), and as JSON: what travels is what the local API would have sent.
 */
export async function readHostSection(services: Pick<FleetCommandServices, 'defense' | 'healing' | 'recovery'>, section: HostSection): Promise<unknown> {
  const { defense, healing, recovery } = services;
  const view = await (async () => {
    switch (section) {
      case 'healing':
        return healing.overview();
      case 'modules':
        return healing.engine.list();
      case 'incidents':
        return (await healing.overview()).recentIncidents;
      case 'snapshots':
        return recovery.overview();
      case 'threats':
        return { mode: defense.mode, threats: defense.threats.recent(THREATS_SHOWN) } satisfies HostThreatsView;
    }
  })();
  return JSON.parse(JSON.stringify(view)) as unknown;
}
