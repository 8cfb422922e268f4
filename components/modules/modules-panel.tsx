'use client';

import { useState } from 'react';
import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import type { ModuleView } from '@/lib/healing/module-view';
import { useModulesQuery } from '../queries/use-modules-query';
import { FormError } from '../ui/field';
import { Panel } from '../ui/panel';
import { DefineModuleDialog } from './define-module-dialog';
import { ModuleTable } from './module-table';
import { ModulesEmpty } from './modules-empty';

function Summary({ modules }: { modules: ModuleView[] }) {
  const count = (state: ModuleView['state']) => modules.filter((m) => m.state === state).length;
  const down = count('down');
  const degraded = count('degraded');
  return (
    <span data-testid="modules-summary">
      {count('up')} of {modules.length} up
      {down ? <span className="text-bad"> · {down} down</span> : null}
      {degraded ? <span className="text-warn"> · {degraded} degraded</span> : null}
    </span>
  );
}

/** The self-healing fabric's module table, kept live by 'modules:changed'. */
export function ModulesPanel({ principal, now }: { principal: Principal; now: number }) {
  const modules = useModulesQuery();
  const [error, setError] = useState<string | null>(null);
  const operator = canOperate(principal);
  const admin = canAdminister(principal);
  const data = modules.data;
  return (
    <Panel
      title="Modules"
      subtitle={data?.length ? <Summary modules={data} /> : undefined}
      actions={operator ? <DefineModuleDialog isAdmin={admin} /> : null}
      testId="panel-modules"
    >
      <div className="mb-3 empty:hidden">
        <FormError message={error} />
      </div>
      {modules.isError ? (
        <p className="text-sm text-bad">Could not load modules: {modules.error.message}</p>
      ) : !data ? (
        <p className="text-sm text-faint">Loading…</p>
      ) : data.length === 0 ? (
        <ModulesEmpty canDefine={operator} />
      ) : (
        <ModuleTable modules={data} now={now} canOperate={operator} isAdmin={admin} onError={setError} />
      )}
    </Panel>
  );
}
