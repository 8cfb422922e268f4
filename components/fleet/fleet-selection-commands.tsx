'use client';

import { useState } from 'react';
import type { Role } from '@/lib/auth/roles';
import { kindsFor, SELECTION_COMMAND_KINDS } from '@/lib/fleet/fleet-command-choices';
import type { FleetCommandIssued, FleetTarget } from '@/lib/fleet/fleet-command-api';
import { Select } from '../ui/field';
import { FleetCommandForm } from './fleet-command-form';

type Scope = 'selected' | 'label' | 'fleet';

function targetOf(scope: Scope, selected: readonly number[], label: string): { target: FleetTarget | null; label: string } {
  if (scope === 'fleet') return { target: { fleet: true }, label: 'whole fleet' };
  if (scope === 'selected')
    return selected.length > 0
      ? { target: { hostIds: [...selected] }, label: `${selected.length} host${selected.length === 1 ? '' : 's'}` }
      : { target: null, label: 'no host selected' };
  // Label names carry no colon; a value may.
  const at = label.indexOf(':');
  const [name, value] = [label.slice(0, at), label.slice(at + 1)];
  return label ? { target: { labels: { [name]: value } }, label: `${name}=${value}` } : { target: null, label: 'no label chosen' };
}

/** Isolate, release or lock down many hosts at once: those ticked in the table, those with a label, or all of them. */
export function FleetSelectionCommands({
  role,
  selected,
  labels,
  onSent,
}: {
  role: Role;
  selected: readonly number[];
  labels: readonly string[];
  onSent: (issued: FleetCommandIssued) => void;
}) {
  const [scope, setScope] = useState<Scope>('fleet');
  const [chosenLabel, setLabel] = useState('');
  // The hosts arrive after the first render, and a label may leave with its last host.
  const label = labels.includes(chosenLabel) ? chosenLabel : (labels[0] ?? '');
  const { target, label: targetLabel } = targetOf(scope, selected, label);
  const choice = (value: Scope, text: string) => (
    <label className="flex items-center gap-2 text-sm">
      <input
        type="radio"
        name="fleet-command-scope"
        value={value}
        checked={scope === value}
        onChange={() => setScope(value)}
        data-testid={`fleet-scope-${value}`}
      />
      {text}
    </label>
  );
  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-muted">Hosts</legend>
        {choice('fleet', 'Whole fleet')}
        {choice('selected', `Selected in the table (${selected.length})`)}
        <div className="flex flex-wrap items-center gap-2">
          {choice('label', 'Labelled')}
          <Select
            aria-label="Label"
            value={label}
            onChange={(e) => {
              setLabel(e.target.value);
              setScope('label');
            }}
            className="h-8 w-auto min-w-36"
            data-testid="fleet-scope-label-value"
          >
            {labels.length === 0 ? <option value="">no host has a label</option> : null}
            {labels.map((pair) => (
              <option key={pair} value={pair}>
                {pair.replace(':', '=')}
              </option>
            ))}
          </Select>
        </div>
      </fieldset>
      <FleetCommandForm
        kinds={kindsFor(role, SELECTION_COMMAND_KINDS)}
        target={target}
        targetLabel={targetLabel}
        onSent={onSent}
        testId="fleet-selection-form"
      />
    </div>
  );
}
