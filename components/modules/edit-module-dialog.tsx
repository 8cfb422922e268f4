'use client';

import { useModuleDefinition } from '../queries/use-module-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/field';
import { ModuleEditorDialog } from './module-editor-dialog';

/** Loads a console module's stored definition, then opens the editor on it. */
export function EditModuleDialog({ name, isAdmin, onClose }: { name: string; isAdmin: boolean; onClose: () => void }) {
  const definition = useModuleDefinition(name);
  if (definition.data) return <ModuleEditorDialog stored={definition.data} isAdmin={isAdmin} onClose={onClose} />;
  return (
    <Dialog open onClose={onClose} title={`Edit ${name}`} testId="module-define-dialog">
      {definition.isError ? (
        <div className="flex flex-col gap-3">
          <FormError message={definition.error.message} />
          <div className="flex justify-end">
            <Button onClick={onClose}>Close</Button>
          </div>
        </div>
      ) : (
        <p className="text-sm text-faint">Loading…</p>
      )}
    </Dialog>
  );
}
