'use client';

import { HOST_SCOPE_PARAM } from '@/lib/fleet/host-scope';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
import { useUrlParams } from '../url/use-url-params';
import { useHostScope } from './use-host-scope';

/** On the audit trail: which host's events are shown, and the way back to every host's. */
export function AuditHostScope() {
  const scope = useHostScope();
  const { data } = useFleetHostsQuery();
  const { update } = useUrlParams();
  if (scope === null) return null;
  const name = data?.find((host) => host.id === scope)?.name ?? `host ${scope}`;
  return (
    <span className="inline-flex items-center gap-1.5" data-testid="audit-host-scope">
      <span>
        reported by <span className="font-medium text-text">{name}</span>
      </span>
      <button type="button" className="text-accent hover:underline" onClick={() => update({ [HOST_SCOPE_PARAM]: null, event: null })}>
        all hosts
      </button>
    </span>
  );
}
