'use client';

import { useState } from 'react';
import { Button } from '../ui/button';
import { ModuleEditorDialog } from './module-editor-dialog';

/** The panel's "Define module" button; the form itself is the module editor. */
export function DefineModuleDialog({ isAdmin }: { isAdmin: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button className="h-7 px-2 text-xs" onClick={() => setOpen(true)} data-testid="module-define-open">
        Define module
      </Button>
      {open ? <ModuleEditorDialog isAdmin={isAdmin} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
