'use client';

import { useState } from 'react';
import type { FleetConfigAssignmentView } from '@/lib/fleet/fleet-config-api';
import { useFleetConfigVersionsQuery, useRollbackFleetConfig } from '../queries/use-fleet-config-query';
import { Button } from '../ui/button';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { Field, FormError, TextInput } from '../ui/field';
import { LocalTime } from '../ui/local-time';

export const targetText = (target: FleetConfigAssignmentView['target']) =>
  'hostId' in target
    ? `host ${target.hostId}`
    : Object.entries(target.labels)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ');

function Versions({ assignment, canEdit }: { assignment: FleetConfigAssignmentView; canEdit: boolean }) {
  const { data, isError, error } = useFleetConfigVersionsQuery(assignment.id);
  const rollback = useRollbackFleetConfig();
  const [reason, setReason] = useState('');
  if (isError) return <p className="text-sm text-bad">Could not load the versions: {error.message}</p>;
  return (
    <>
      {canEdit ? (
        <Field label="Reason for a rollback">
          <TextInput
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="why this version goes back"
            data-testid="fleet-config-rollback-reason"
          />
        </Field>
      ) : null}
      <DataTable
        columns={['Version', { label: 'Saved', wide: true }, 'Reason', { label: 'Parts', wide: true }, '']}
        className="min-w-[320px] text-sm"
        label={`Versions of the assignment for ${targetText(assignment.target)}`}
        testId="fleet-config-versions"
      >
        {(data ?? []).map((version) => (
          <Tr key={version.version}>
            <Td className="tabular-nums">
              v{version.version}
              {version.restoredVersion ? <span className="block text-xs text-faint">back to v{version.restoredVersion}</span> : null}
            </Td>
            <Td className={`${WIDE_ONLY} text-xs text-muted`}>
              <LocalTime iso={version.createdAt} /> · {version.actor}
            </Td>
            <Td className="max-w-xs break-words text-xs">{version.reason}</Td>
            <Td className={`${WIDE_ONLY} text-xs text-muted`}>{Object.keys(version.content).join(', ') || 'nothing'}</Td>
            <Td className="text-right">
              {canEdit && version.version !== assignment.current.version ? (
                <Button
                  className="h-8 whitespace-nowrap"
                  disabled={rollback.isPending}
                  aria-label={`Roll back to v${version.version}`}
                  data-testid={`fleet-config-rollback-${version.version}`}
                  onClick={() => rollback.mutate({ assignmentId: assignment.id, version: version.version, reason })}
                >
                  {/* A phone has room for the verb only; the version is the row's own. */}
                  <span className="sm:hidden">Roll back</span>
                  <span className="hidden sm:inline">Roll back to v{version.version}</span>
                </Button>
              ) : null}
            </Td>
          </Tr>
        ))}
      </DataTable>
      <div className="mt-2">
        <FormError message={rollback.error?.message ?? null} />
      </div>
    </>
  );
}

/** Each assignment's target and newest version; choosing one shows every version, each one a rollback away. */
export function FleetConfigHistory({ assignments, canEdit }: { assignments: FleetConfigAssignmentView[]; canEdit: boolean }) {
  const [chosen, choose] = useState<number | null>(null);
  const shown = assignments.find((assignment) => assignment.id === chosen) ?? null;
  if (assignments.length === 0) return <p className="text-sm text-faint">Nothing is assigned from the console: every agent runs its own file.</p>;
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-wrap gap-2" aria-label="Assignments">
        {assignments.map((assignment) => (
          <li key={assignment.id}>
            <Button
              aria-pressed={assignment.id === chosen}
              data-testid={`fleet-config-assignment-${assignment.id}`}
              onClick={() => choose(assignment.id === chosen ? null : assignment.id)}
              className="h-8"
            >
              {targetText(assignment.target)} · v{assignment.current.version}
            </Button>
          </li>
        ))}
      </ul>
      {shown ? <Versions assignment={shown} canEdit={canEdit} /> : null}
    </div>
  );
}
