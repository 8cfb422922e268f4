'use client';

import type { FleetActionKind } from '@/lib/fleet/fleet-actions';
import type { FleetCommandFields } from '@/lib/fleet/fleet-command-choices';
import { Field, Select, TextInput } from '../ui/field';

/** A choice among names the host reported (its modules, its golden snapshots). */
function NameChoice({
  value,
  names,
  placeholder,
  onChange,
  disabled,
  testId,
}: {
  value: string;
  names: readonly string[];
  placeholder: string;
  onChange: (name: string) => void;
  disabled: boolean;
  testId: string;
}) {
  return (
    <Select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
      <option value="">{placeholder}</option>
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </Select>
  );
}

/** The inputs one kind of command needs; the lists come from the host's last heartbeat. */
export function FleetCommandKindFields({
  kind,
  fields,
  set,
  modules,
  goldenSnapshots,
  disabled,
}: {
  kind: FleetActionKind;
  fields: FleetCommandFields;
  set: (patch: Partial<FleetCommandFields>) => void;
  modules: readonly string[];
  goldenSnapshots: readonly string[];
  disabled: boolean;
}) {
  const reason = (
    <Field label="Reason" hint="Recorded in the audit trail of every host.">
      <TextInput value={fields.reason} onChange={(e) => set({ reason: e.target.value })} disabled={disabled} data-testid="fleet-command-reason" />
    </Field>
  );
  switch (kind) {
    case 'isolate':
    case 'release':
      return (
        <>
          <Field label="Source" hint="An IP address or a CIDR range.">
            <TextInput
              value={fields.source}
              onChange={(e) => set({ source: e.target.value })}
              placeholder="203.0.113.7"
              inputMode="decimal"
              autoComplete="off"
              disabled={disabled}
              data-testid="fleet-command-source"
            />
          </Field>
          {kind === 'isolate' ? (
            <Field label="Duration in minutes" hint="Empty: until released.">
              <TextInput
                type="number"
                min={1}
                value={fields.durationMinutes}
                onChange={(e) => set({ durationMinutes: e.target.value })}
                disabled={disabled}
                data-testid="fleet-command-duration"
              />
            </Field>
          ) : null}
          {reason}
        </>
      );
    case 'restart-module':
      return (
        <>
          <Field label="Module" hint={modules.length === 0 ? 'This host has reported no module.' : undefined}>
            <NameChoice
              value={fields.module}
              names={modules}
              placeholder="Choose a module…"
              onChange={(module) => set({ module })}
              disabled={disabled}
              testId="fleet-command-module"
            />
          </Field>
          {reason}
        </>
      );
    case 'snapshot-create':
      return (
        <Field label="Snapshot name" hint="Verified once taken; only a verified golden snapshot can be restored.">
          <TextInput value={fields.name} onChange={(e) => set({ name: e.target.value })} disabled={disabled} data-testid="fleet-command-snapshot-name" />
        </Field>
      );
    case 'snapshot-restore':
      return (
        <>
          <Field label="Golden snapshot" hint={goldenSnapshots.length === 0 ? 'This host has reported no verified golden snapshot.' : 'Newest first.'}>
            <NameChoice
              value={fields.snapshot}
              names={goldenSnapshots}
              placeholder="Choose a snapshot…"
              onChange={(snapshot) => set({ snapshot })}
              disabled={disabled}
              testId="fleet-command-snapshot"
            />
          </Field>
          {reason}
        </>
      );
    default:
      return reason;
  }
}
