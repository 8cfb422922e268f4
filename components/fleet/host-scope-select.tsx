'use client';

import { HOST_SCOPE_PARAM } from '@/lib/fleet/host-scope';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
import { useUrlParams } from '../url/use-url-params';
import { cn } from '../ui/cn';
import { useHostScope } from './use-host-scope';

/** "All hosts" or one: kept in the URL as `?host=`, so a link shared from any section shows the same host. */
export function HostScopeSelect({ className, testId = 'host-scope' }: { className?: string; testId?: string }) {
  const { data } = useFleetHostsQuery();
  const { update } = useUrlParams();
  const scope = useHostScope();
  const known = data?.some((host) => host.id === scope) ?? false;
  return (
    <label className={cn('items-center gap-1.5 text-xs', className)}>
      <span className="text-muted">Host</span>
      <select
        value={scope === null ? '' : String(scope)}
        onChange={(e) => update({ [HOST_SCOPE_PARAM]: e.target.value || null })}
        className="h-8 max-w-40 rounded-md border border-border bg-surface px-2 text-xs text-text focus:border-accent focus:outline-none"
        data-testid={testId}
      >
        <option value="">All hosts</option>
        {/* Until the list arrives (or for an id it lacks) the URL's host is still the one selected. */}
        {scope !== null && !known ? <option value={String(scope)}>host {scope}</option> : null}
        {data?.map((host) => (
          <option key={host.id} value={String(host.id)}>
            {host.name}
            {host.id === 1 ? ' (this console)' : ''}
            {host.revokedAt ? ' (revoked)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
