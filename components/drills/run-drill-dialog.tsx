'use client';

import { useState } from 'react';
import { SCENARIO_NAMES, type ScenarioName } from '@/lib/drills/drill-schema';
import { useStartDrill } from '../queries/use-drills-query';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-form';
import { FormError } from '../ui/field';

/** Admins only: a drill spawns programs and injects faults, so it asks first and says what it does. */
export function RunDrillButton({ running }: { running: boolean }) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<ScenarioName[]>([...SCENARIO_NAMES]);
  const start = useStartDrill();
  const close = () => {
    start.reset();
    setOpen(false);
  };
  const toggle = (name: ScenarioName) =>
    setChosen((now) => (now.includes(name) ? now.filter((n) => n !== name) : SCENARIO_NAMES.filter((n) => n === name || now.includes(n))));
  return (
    <>
      <Button onClick={() => setOpen(true)} disabled={running} data-testid="drill-open">
        {running ? 'Drill running…' : 'Run drill'}
      </Button>
      <Dialog open={open} onClose={close} title="Run a chaos drill" dismissible={!start.isPending} testId="drill-dialog">
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen.length > 0) start.mutate({ scenarios: chosen }, { onSuccess: close });
          }}
        >
          <p className="text-sm text-muted">
            Starts a small demo service for each scenario, injects its fault (a crash, HTTP 500s, slow answers, a hang, a full disk) and measures how long
            detection and recovery take. The demo services run under their own healing engine with a temporary database: your modules are not touched. A drill
            takes a minute or two; the results appear here when it ends.
          </p>
          <fieldset className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
            <legend className="mb-1 text-xs text-faint">Scenarios</legend>
            {SCENARIO_NAMES.map((name) => (
              <label key={name} className="inline-flex items-center gap-1.5">
                <input type="checkbox" checked={chosen.includes(name)} onChange={() => toggle(name)} data-testid={`drill-scenario-${name}`} />
                {name}
              </label>
            ))}
          </fieldset>
          <FormError message={start.error ? start.error.message : null} />
          <DialogActions
            onCancel={close}
            label="Start drill"
            pendingLabel="Starting…"
            pending={start.isPending}
            disabled={chosen.length === 0}
            testId="drill-submit"
          />
        </form>
      </Dialog>
    </>
  );
}
