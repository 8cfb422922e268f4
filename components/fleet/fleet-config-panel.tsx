'use client';

import type { HostView } from '@/lib/fleet/fleet-api';
import { useFleetConfigQuery } from '../queries/use-fleet-config-query';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';
import { FleetConfigEditor } from './fleet-config-editor';
import { FleetConfigHistory } from './fleet-config-history';
import { FleetConfigHosts } from './fleet-config-hosts';

/** Configuration from the console: where each host stands, every assignment's versions, and (for an admin) a new one. */
export function FleetConfigPanel({ hosts, canEdit }: { hosts: HostView[]; canEdit: boolean }) {
  const { data, isError, error } = useFleetConfigQuery();
  const pending = data?.hosts.filter((host) => host.state === 'pending').length ?? 0;
  const rejected = data?.hosts.filter((host) => host.state === 'rejected').length ?? 0;
  return (
    <Panel
      title="Configuration"
      subtitle={data ? `${data.assignments.length} assignments · ${pending} pending · ${rejected} rejected` : 'Assigned from the console, per host or label'}
      testId="panel-fleet-config"
    >
      {data ? (
        <div className="flex flex-col gap-5">
          <FleetConfigHosts hosts={data.hosts} />
          <section aria-label="Assignments and versions" className="flex flex-col gap-2">
            <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">Assignments</h3>
            <FleetConfigHistory assignments={data.assignments} canEdit={canEdit} />
          </section>
          {canEdit ? (
            <section aria-label="New version" className="flex flex-col gap-2 border-t border-border pt-4">
              <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">New version</h3>
              <FleetConfigEditor hosts={hosts} />
            </section>
          ) : null}
        </div>
      ) : isError ? (
        <p className="text-sm text-bad">Could not load the configuration: {error.message}</p>
      ) : (
        <EmptyState title="Waiting for the worker…" />
      )}
    </Panel>
  );
}
