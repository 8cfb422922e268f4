'use client';

import { useState } from 'react';
import { canOperate, type Principal } from '@/lib/auth/roles';
import { useModulesQuery } from '../queries/use-modules-query';
import { FormError } from '../ui/field';
import { Panel } from '../ui/panel';
import { ApprovalButtons } from './approval-buttons';
import { words } from './module-format';
import { useIncidentUrl } from './use-incident-url';

/**
 * Recovery actions that wait for an operator (modules with `autonomy: approval`). Why the
 * engine wants to act is in the incident's approval step, one click away.
 */
export function ApprovalsPanel({ principal, className }: { principal: Principal; className?: string }) {
  const modules = useModulesQuery();
  const { select } = useIncidentUrl();
  const [error, setError] = useState<string | null>(null);
  const waiting = (modules.data ?? []).filter((m) => m.pendingApproval !== null);
  const operator = canOperate(principal);
  return (
    <Panel
      title="Approvals"
      subtitle={waiting.length ? <span className="text-warn">{waiting.length} waiting</span> : 'nothing waiting'}
      className={className}
      testId="panel-approvals"
    >
      <div className="mb-2 empty:hidden">
        <FormError message={error} />
      </div>
      {waiting.length === 0 ? (
        <p className="text-xs text-faint">
          Modules set to <span className="font-mono">autonomy: approval</span> wait here before Vigil restarts, repairs or syncs them. Approving runs the action
          now; rejecting hands the incident to people.
        </p>
      ) : (
        <ul className="flex flex-col gap-2">
          {waiting.map((module) => (
            <li key={module.name} className="rounded-md border border-warn/40 bg-warn/5 px-3 py-2" data-testid="approval-item">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-sm font-semibold">{module.name}</span>
                <span className="text-sm">
                  wants to <span className="font-medium">{words(module.pendingApproval ?? '')}</span>
                </span>
                {operator ? (
                  <span className="ml-auto">
                    <ApprovalButtons name={module.name} onError={setError} />
                  </span>
                ) : null}
              </div>
              <p className="mt-1 text-xs text-muted">
                {module.state}: {module.message ?? 'no message'}
                {module.incidentId ? (
                  <>
                    {' · '}
                    <button type="button" className="text-accent hover:underline" onClick={() => select(module.incidentId)}>
                      why (incident timeline)
                    </button>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
