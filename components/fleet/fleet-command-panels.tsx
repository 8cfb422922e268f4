'use client';

import type { Role } from '@/lib/auth/roles';
import type { FleetCommandIssued } from '@/lib/fleet/fleet-command-api';
import { useFleetCommandsQuery } from '../queries/use-fleet-commands-query';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';
import { FleetCommandHistory } from './fleet-command-history';
import { FleetSelectionCommands } from './fleet-selection-commands';

/**
 * Commands to many hosts (operators only) beside the history of every command, where each
 * host's answer arrives live.
 */
export function FleetCommandPanels({
  role,
  canCommand,
  selected,
  labels,
  now,
  openId,
  onSent,
}: {
  role: Role;
  canCommand: boolean;
  selected: readonly number[];
  labels: readonly string[];
  now: number;
  openId: string | null;
  onSent: (issued: FleetCommandIssued) => void;
}) {
  const { data, isError, error } = useFleetCommandsQuery();
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
      {canCommand ? (
        <Panel title="Command hosts" subtitle="Isolate, release or lock down many hosts at once" testId="panel-fleet-command">
          <FleetSelectionCommands role={role} selected={selected} labels={labels} onSent={onSent} />
        </Panel>
      ) : null}
      <Panel
        title="Commands"
        subtitle="The newest first; each host's answer arrives live"
        testId="panel-fleet-commands"
        className={canCommand ? undefined : 'lg:col-span-2'}
      >
        {data ? (
          <FleetCommandHistory commands={data} now={now} openId={openId} />
        ) : isError ? (
          <p className="text-sm text-bad">Could not load the commands: {error.message}</p>
        ) : (
          <EmptyState title="Waiting for the worker…" />
        )}
      </Panel>
    </div>
  );
}
