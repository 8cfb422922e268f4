'use client';

import { useState } from 'react';
import { canOperate, type Principal } from '@/lib/auth/roles';
import type { DefenseDecision } from '@/lib/defense/defense-types';
import { formatDuration, formatRelative } from '@/lib/format';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { DataTable, Td, Tr } from '../ui/data-table';
import { Panel } from '../ui/panel';
import { IsolateForm } from './isolate-form';
import { RestoreSourceDialog } from './restore-source-dialog';

function TimeLeft({ decision, now }: { decision: DefenseDecision; now: number }) {
  if (!decision.expiresAt) return <span className="text-bad">indefinite</span>;
  const left = Date.parse(decision.expiresAt) - now;
  return <span className="tabular">{left > 0 ? formatDuration(left / 1000) : 'expiring…'}</span>;
}

/** Sources the guard refuses now, with a live countdown; operators isolate and restore here. */
export function IsolationsPanel({
  isolations,
  total,
  principal,
  now,
  className,
}: {
  isolations: DefenseDecision[];
  total: number;
  principal: Principal;
  now: number;
  className?: string;
}) {
  const [restoring, setRestoring] = useState<DefenseDecision | null>(null);
  const operator = canOperate(principal);
  const columns = operator ? ['Source', 'Time left', 'Origin', 'Reason', ''] : ['Source', 'Time left', 'Origin', 'Reason'];
  return (
    <Panel
      title="Isolated sources"
      subtitle={total > isolations.length ? `newest ${isolations.length} of ${total}` : `${total} isolated`}
      className={className}
      testId="panel-isolations"
    >
      <div className="max-h-96 overflow-y-auto">
        <DataTable
          columns={columns}
          className="min-w-[560px] text-sm"
          testId="isolation-table"
          empty={isolations.length === 0 ? 'No source is isolated. The guard lets everyone through.' : null}
        >
          {isolations.map((decision) => (
            <Tr key={decision.source}>
              <Td className="font-mono text-xs" data-testid="isolated-source">
                {decision.source}
              </Td>
              <Td className="whitespace-nowrap text-xs" data-testid="isolation-time-left">
                <TimeLeft decision={decision} now={now} />
              </Td>
              <Td className="whitespace-nowrap">
                <Badge tone={decision.origin === 'auto' ? 'orange' : 'accent'}>{decision.origin}</Badge>
                {decision.offence > 1 ? <span className="ml-1 text-xs text-bad">×{decision.offence}</span> : null}
              </Td>
              <Td className="max-w-[18rem] text-xs">
                <span className="line-clamp-2 break-words">{decision.reason}</span>
                <span className="block text-faint">
                  {decision.actor} · {formatRelative(decision.createdAt, now)}
                  {decision.scenario ? ` · ${decision.scenario}` : ''}
                </span>
              </Td>
              {operator ? (
                <Td className="text-right">
                  <Button className="h-7 px-2 text-xs" onClick={() => setRestoring(decision)} data-testid="restore-source">
                    Restore
                  </Button>
                </Td>
              ) : null}
            </Tr>
          ))}
        </DataTable>
      </div>
      {operator ? <IsolateForm /> : null}
      {restoring ? <RestoreSourceDialog decision={restoring} onClose={() => setRestoring(null)} /> : null}
    </Panel>
  );
}
