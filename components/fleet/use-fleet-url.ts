'use client';

import { parseFleetSort, type FleetSort, type FleetSortKey } from '@/lib/fleet/fleet-table';
import { useUrlParams } from '../url/use-url-params';

/** Sort and label filter live in the URL (`?sort=incidents&dir=desc&label=site:fra`), so a shared link shows the same table. */
export function useFleetUrl() {
  const { params, update } = useUrlParams();
  const sort: FleetSort = parseFleetSort(params.get('sort'), params.get('dir'));
  const label = params.get('label');
  return {
    sort,
    label,
    /** The same column again flips the direction; a new column starts ascending. */
    sortBy: (key: FleetSortKey) => update({ sort: key, dir: sort.key === key && sort.direction === 'asc' ? 'desc' : 'asc' }),
    filterByLabel: (next: string | null) => update({ label: next }),
  };
}
