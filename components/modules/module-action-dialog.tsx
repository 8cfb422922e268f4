'use client';

import { useState } from 'react';
import type { ModuleControlAction } from '@/lib/healing/healing-api';
import type { ModuleView } from '@/lib/healing/module-view';
import { useControlModule } from '../queries/use-module-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, TextInput } from '../ui/field';

const COPY: Record<ModuleControlAction, { title: string; verb: string; busy: string; explain: (m: ModuleView) => string }> = {
  restart: {
    title: 'Restart module',
    verb: 'Restart now',
    busy: 'Restarting…',
    explain: (m) =>
      m.kind === 'process'
        ? `Vigil stops ${m.name}'s process (TERM, then KILL after 5 s) and starts it again, then probes it.`
        : `Vigil runs ${m.name}'s configured restart command or hook, then probes it.`,
  },
  pause: {
    title: 'Pause module',
    verb: 'Pause',
    busy: 'Pausing…',
    explain: (m) => `Probes and automatic recovery stop for ${m.name} until someone resumes it. It no longer counts against the health score.`,
  },
  resume: {
    title: 'Resume module',
    verb: 'Resume',
    busy: 'Resuming…',
    explain: (m) => `${m.name} is probed again right away and recovered automatically as configured.`,
  },
};

/** Every operator action on a module asks for a reason: it goes to the audit trail with the operator's name. */
export function ModuleActionDialog({ module, action, onClose }: { module: ModuleView; action: ModuleControlAction; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const control = useControlModule();
  const copy = COPY[action];
  const reasonOk = reason.trim().length >= 3;
  return (
    <Dialog open onClose={onClose} title={copy.title} dismissible={!control.isPending} testId="module-action-dialog">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (reasonOk) control.mutate({ name: module.name, action, reason: reason.trim() }, { onSuccess: onClose });
        }}
      >
        <p className="text-sm text-muted">
          <span className="font-mono font-medium text-text">{module.name}</span> ({module.kind}, {module.state}). {copy.explain(module)}
        </p>
        <Field label="Reason" hint="Kept in the audit trail with your name.">
          <TextInput
            autoFocus
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. memory leak after the 2.3 deploy"
            required
            minLength={3}
            maxLength={500}
            disabled={control.isPending}
            data-testid="module-action-reason"
          />
        </Field>
        <FormError message={control.error ? control.error.message : null} />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose} disabled={control.isPending}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant={action === 'resume' ? 'primary' : 'danger'}
            disabled={!reasonOk || control.isPending}
            data-testid="module-action-submit"
          >
            {control.isPending ? copy.busy : copy.verb}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
