'use client';

import { useState } from 'react';
import type { FleetActionKind } from '@/lib/fleet/fleet-actions';
import { actionOfFields, confirmationPhrase, FLEET_KIND_LABELS, type FleetCommandFields } from '@/lib/fleet/fleet-command-choices';
import type { FleetCommandIssued, FleetTarget } from '@/lib/fleet/fleet-command-api';
import { useSendFleetCommand } from '../queries/use-fleet-commands-query';
import { Button } from '../ui/button';
import { Field, FormError, Select, TextInput } from '../ui/field';

import { FleetCommandKindFields } from './fleet-command-fields';

const EMPTY: FleetCommandFields = { source: '', reason: '', durationMinutes: '', module: '', snapshot: '', name: '' };

/**
 * One command for a target: what to do, its fields, a typed confirmation where the command is
 * hard to undo, then send. The hosts' answers show in the command history.
 */
export function FleetCommandForm({
  kinds,
  target,
  targetLabel,
  hostName,
  modules = [],
  goldenSnapshots = [],
  defaultSnapshotName = '',
  onSent,
  onCancel,
  testId,
}: {
  kinds: readonly FleetActionKind[];
  target: FleetTarget | null;
  /** What the send button says it acts on: "fra2", "3 hosts", "site=fra". */
  targetLabel: string;
  hostName?: string;
  modules?: readonly string[];
  goldenSnapshots?: readonly string[];
  defaultSnapshotName?: string;
  onSent: (issued: FleetCommandIssued) => void;
  /** In a dialog: a way out without a keyboard. */
  onCancel?: () => void;
  testId: string;
}) {
  const [kind, setKind] = useState<FleetActionKind>(kinds[0]);
  const [fields, setFields] = useState<FleetCommandFields>({ ...EMPTY, name: defaultSnapshotName });
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const send = useSendFleetCommand();
  const phrase = target ? confirmationPhrase(kind, target, hostName) : null;
  const confirmed = phrase === null || typed.trim() === phrase;
  const busy = send.isPending;
  const danger = kind === 'lockdown' || kind === 'snapshot-restore' || kind === 'isolate';
  return (
    <form
      className="flex flex-col gap-3"
      data-testid={testId}
      onSubmit={(event) => {
        event.preventDefault();
        if (!target || !confirmed) return;
        const built = actionOfFields(kind, fields);
        if ('error' in built) return setProblem(built.error);
        setProblem(null);
        send.mutate(
          { target, action: built.action },
          {
            onSuccess: (issued) => {
              setTyped('');
              setFields({ ...EMPTY, name: defaultSnapshotName });
              onSent(issued);
            },
          },
        );
      }}
    >
      <Field label="Command">
        <Select
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as FleetActionKind);
            setTyped('');
            setProblem(null);
          }}
          disabled={busy}
          data-testid="fleet-command-kind"
        >
          {kinds.map((choice) => (
            <option key={choice} value={choice}>
              {FLEET_KIND_LABELS[choice]}
            </option>
          ))}
        </Select>
      </Field>
      <FleetCommandKindFields
        kind={kind}
        fields={fields}
        set={(patch) => setFields((old) => ({ ...old, ...patch }))}
        modules={modules}
        goldenSnapshots={goldenSnapshots}
        disabled={busy}
      />
      {phrase !== null ? (
        <Field
          label={`Type ${phrase} to confirm`}
          hint={
            kind === 'lockdown'
              ? 'Every host it reaches refuses all requests but an administrator’s until lifted.'
              : 'Files on the host are replaced by the snapshot’s.'
          }
        >
          <TextInput value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" disabled={busy} data-testid="fleet-command-confirm" />
        </Field>
      ) : null}
      <FormError message={problem ?? (send.error ? send.error.message : null)} />
      <div className="flex justify-end gap-2">
        {onCancel ? (
          <Button variant="ghost" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant={danger ? 'danger' : 'primary'} disabled={!target || !confirmed || busy} data-testid="fleet-command-send">
          {busy ? 'Sending…' : `${FLEET_KIND_LABELS[kind]} · ${targetLabel}`}
        </Button>
      </div>
    </form>
  );
}
