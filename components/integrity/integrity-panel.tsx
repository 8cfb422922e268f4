'use client';

import { canAdminister, type Principal } from '@/lib/auth/roles';
import type { IntegrityStatus } from '@/lib/integrity/integrity-status';
import { formatBytes, formatDuration, formatRelative } from '@/lib/format';
import { useIntegrityQuery } from '../queries/use-integrity-query';
import { EmptyState } from '../ui/empty-state';
import { Fact } from '../ui/fact';
import { Panel } from '../ui/panel';
import { IntegrityFindings } from './integrity-findings';
import { RebaselineButton } from './rebaseline-dialog';

function Summary({ status, now }: { status: IntegrityStatus; now: number }) {
  const scan = status.lastScan;
  return (
    <dl className="mb-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
      <Fact label="Files watched" value={status.filesWatched.toLocaleString()} testId="integrity-files" />
      <Fact label="Differ now" value={status.outstanding} className={status.outstanding > 0 ? 'text-bad' : 'text-ok'} testId="integrity-outstanding" />
      <Fact
        label="Last scan"
        className="text-xs font-normal"
        value={
          status.scanning
            ? 'scanning now…'
            : scan
              ? `${formatRelative(scan.at, now)}, ${formatBytes(scan.bytes)} in ${formatDuration(scan.durationMs / 1000)}`
              : 'not yet'
        }
      />
      <Fact
        label="Baseline"
        className="text-xs font-normal"
        value={status.baselineCreatedAt ? `taken ${formatRelative(status.baselineCreatedAt, now)}` : 'none yet'}
      />
    </dl>
  );
}

/** File integrity: what is watched, when it was last checked, and what changed against the baseline. */
export function IntegrityPanel({ principal, now }: { principal: Principal; now: number }) {
  const query = useIntegrityQuery();
  const status = query.data;
  const realtime = status
    ? status.realtime.active
      ? `realtime on ${status.realtime.directories} directories`
      : `realtime off${status.realtime.note ? `: ${status.realtime.note}` : ''}`
    : undefined;
  return (
    <Panel
      title="File integrity"
      subtitle={realtime}
      actions={status?.enabled && canAdminister(principal) ? <RebaselineButton outstanding={status.outstanding} /> : null}
      testId="panel-integrity"
    >
      {query.isError ? (
        <p className="text-sm text-bad">Could not load integrity status: {query.error.message}</p>
      ) : !status ? (
        <p className="text-sm text-faint">Loading…</p>
      ) : !status.enabled ? (
        <EmptyState title="No files are watched">
          Declare paths under integrity.paths in the config file (globs and excludes work), or leave integrity.self on to watch Vigil itself.
        </EmptyState>
      ) : (
        <>
          <Summary status={status} now={now} />
          {status.lastError ? <p className="mb-3 rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-xs text-warn">{status.lastError}</p> : null}
          <div className="max-h-80 overflow-y-auto">
            <IntegrityFindings findings={status.recentFindings} />
          </div>
        </>
      )}
    </Panel>
  );
}
