'use client';

import type { ModuleView } from '@/lib/healing/module-view';
import { useRemoveModule } from '../queries/use-module-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/field';

/** Deleting stops the probes at once; the module's incidents and audit events stay. Focus starts on Cancel, the safe answer. */
export function DeleteModuleDialog({ module, onClose }: { module: ModuleView; onClose: () => void }) {
  const remove = useRemoveModule();
  return (
    <Dialog open onClose={onClose} title="Delete module" dismissible={!remove.isPending} testId="module-delete-dialog">
      <div className="flex flex-col gap-4">
        <p className="text-sm text-muted">
          <span className="font-mono font-medium text-text">{module.name}</span> ({module.kind}) is no longer probed or recovered. Its incidents and its audit
          events stay.
        </p>
        <FormError message={remove.error ? remove.error.message : null} />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose} disabled={remove.isPending} data-testid="module-delete-cancel">
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(module.name, { onSuccess: onClose })}
            data-testid="module-delete-submit"
          >
            {remove.isPending ? 'Deleting…' : 'Delete'}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
