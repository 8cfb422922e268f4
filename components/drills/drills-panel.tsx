'use client';

import { canAdminister, type Principal } from '@/lib/auth/roles';
import type { DrillRun } from '@/lib/drills/drill-schema';
import { formatRelative } from '@/lib/format';
import { useDrillsQuery } from '../queries/use-drills-query';
import { Badge } from '../ui/badge';
import { DataTable, Td, Tr } from '../ui/data-table';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';
import { DrillChart } from './drill-chart';
import { DrillProgress } from './drill-progress';
import { RunDrillButton } from './run-drill-dialog';

const COLUMNS = ['Scenario', { label: 'MTTD', align: 'right' }, { label: 'MTTR', align: 'right' }, 'Result', 'Note'] as const;

/** Milliseconds as people read them; a dash where nothing was detected or nothing recovered. */
const duration = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function LatestRun({ run }: { run: DrillRun }) {
  return (
    <DataTable columns={COLUMNS} className="min-w-[560px] text-sm" testId="drill-latest">
      {run.results.map((result) => (
        <Tr key={result.scenario}>
          <Td className="font-mono text-xs">
            {result.scenario}
            {result.concurrentFaults > 1 ? ` ×${result.concurrentFaults}` : ''}
          </Td>
          <Td className="text-right tabular-nums">{duration(result.mttdMs)}</Td>
          <Td className="text-right tabular-nums">{duration(result.mttrMs)}</Td>
          <Td>
            <Badge tone={result.skipped ? 'neutral' : result.passed ? 'ok' : 'bad'} testId={`drill-result-${result.scenario}`}>
              {result.skipped ? 'skipped' : result.passed ? 'passed' : 'failed'}
            </Badge>
          </Td>
          <Td className="text-xs text-muted">{result.note}</Td>
        </Tr>
      ))}
    </DataTable>
  );
}

/** Chaos drills: how fast faults in demo services were detected and healed, run after run. */
export function DrillsPanel({ principal, now }: { principal: Principal; now: number }) {
  const query = useDrillsQuery();
  const overview = query.data;
  const latest = overview?.runs[0];
  const subtitle = overview?.running ? 'a drill is running…' : latest ? `last run ${formatRelative(latest.finishedAt, now)} by ${latest.actor}` : undefined;
  return (
    <Panel
      title="Chaos drills"
      subtitle={subtitle}
      actions={overview && canAdminister(principal) ? <RunDrillButton running={overview.running} /> : null}
      testId="panel-drills"
    >
      {overview?.running && overview.progress.length > 0 ? <DrillProgress progress={overview.progress} /> : null}
      {query.isError ? (
        <p className="text-sm text-bad">Could not load drill results: {query.error.message}</p>
      ) : !overview ? (
        <p className="text-sm text-faint">Loading…</p>
      ) : !latest ? (
        <EmptyState title="No drill has run yet">
          Set drills.everyHours in the config file to run them on a schedule{canAdminister(principal) ? ', or run one now' : ''}.
        </EmptyState>
      ) : (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <LatestRun run={latest} />
          <DrillChart runs={overview.runs} />
        </div>
      )}
    </Panel>
  );
}
