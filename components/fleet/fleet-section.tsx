'use client';

import { useState } from 'react';
import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import type { HostView } from '@/lib/fleet/fleet-api';
import type { FleetCommandIssued } from '@/lib/fleet/fleet-command-api';
import { filterHostsByLabel, fleetLabels, sortHosts } from '@/lib/fleet/fleet-table';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
import { SectionPage } from '../shell/section-page';
import { EmptyState } from '../ui/empty-state';
import { Select } from '../ui/field';
import { Panel } from '../ui/panel';
import { useNow } from '../ui/use-now';
import { FleetCommandPanels } from './fleet-command-panels';
import { FleetConfigPanel } from './fleet-config-panel';
import { FleetHeatmap } from './fleet-heatmap';
import { HostCommandDialog } from './host-command-dialog';
import { HostTable } from './host-table';
import { useFleetUrl } from './use-fleet-url';

function LabelFilter({ labels, value, onChange }: { labels: string[]; value: string | null; onChange: (label: string | null) => void }) {
  // A label in the URL that no host carries any more is still offered, so the select shows what filters the table.
  const choices = value && !labels.includes(value) ? [value, ...labels] : labels;
  return (
    <label className="flex items-center gap-2 text-xs">
      <span className="font-medium text-muted">Label</span>
      <Select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} data-testid="fleet-label-filter" className="h-8 w-auto min-w-36">
        <option value="">Any label</option>
        {choices.map((label) => (
          <option key={label} value={label}>
            {label}
          </option>
        ))}
      </Select>
    </label>
  );
}

/** Every host of the fleet on one screen: how each one is, and where risk gathers across them. */
export function FleetSection({ principal }: { principal: Principal }) {
  const now = useNow();
  const { data, isError, error } = useFleetHostsQuery();
  const { sort, label, sortBy, filterByLabel } = useFleetUrl();
  const shown = data ? sortHosts(filterHostsByLabel(data, label), sort) : [];
  const away = data?.filter((host) => !host.connected && !host.revokedAt).length ?? 0;
  const canCommand = canOperate(principal);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [commanding, setCommanding] = useState<HostView | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const onSent = (issued: FleetCommandIssued) => setOpenId(issued.id);
  const toggle = (hostId: number) =>
    setSelected((old) => {
      const next = new Set(old);
      if (!next.delete(hostId)) next.add(hostId);
      return next;
    });
  // A host revoked or gone since it was ticked is no longer a target.
  const selectedIds = data ? data.filter((host) => selected.has(host.id) && !host.revokedAt).map((host) => host.id) : [];
  return (
    <SectionPage title="Fleet" summary="Every host this console watches: health, defense, incidents and risk, side by side." testId="section-fleet">
      <Panel
        title="Hosts"
        subtitle={
          data ? `${data.length} host${data.length === 1 ? '' : 's'}${away ? ` · ${away} disconnected` : ''}${label ? ` · showing ${label}` : ''}` : undefined
        }
        actions={data ? <LabelFilter labels={fleetLabels(data)} value={label} onChange={filterByLabel} /> : null}
        testId="panel-fleet-hosts"
      >
        {data ? (
          <HostTable
            hosts={shown}
            sort={sort}
            onSort={sortBy}
            now={now}
            canRevoke={canAdminister(principal)}
            commands={canCommand ? { selected, onToggle: toggle, onCommand: setCommanding } : null}
          />
        ) : isError ? (
          <p className="text-sm text-bad">Could not load the fleet: {error.message}</p>
        ) : (
          <EmptyState title="Waiting for the worker…" />
        )}
      </Panel>
      <FleetCommandPanels
        role={principal.role}
        canCommand={canCommand}
        selected={selectedIds}
        labels={data ? fleetLabels(data) : []}
        now={now}
        openId={openId}
        onSent={onSent}
      />
      {commanding ? <HostCommandDialog host={commanding} role={principal.role} onClose={() => setCommanding(null)} onSent={onSent} /> : null}
      <Panel title="Fleet risk" subtitle="Worst current risk of each subsystem kind, per host" testId="panel-fleet-risk">
        {data ? <FleetHeatmap hosts={shown} /> : <EmptyState title="Waiting for the worker…" />}
      </Panel>
      <FleetConfigPanel hosts={data ?? []} canEdit={canAdminister(principal)} />
    </SectionPage>
  );
}
