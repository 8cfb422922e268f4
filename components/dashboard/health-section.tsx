'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { canOperate, type Principal } from '@/lib/auth/roles';
import { HISTORY_RANGES, historyRangeSchema } from '@/lib/health/history-range';
import { formatRelative } from '@/lib/format';
import { useHealthQuery } from '../queries/use-health-query';
import { useHealthHistoryQuery } from '../queries/use-health-history-query';
import { useLiveStatus } from '../live/live-status-store';
import { Panel } from '../ui/panel';
import { EmptyState } from '../ui/empty-state';
import { DegradationLadder } from './degradation-ladder';
import { HealthGauge } from './health-gauge';
import { HostFacts } from './host-facts';
import { PinDegradationControl } from './pin-degradation-control';
import { RangePicker } from './range-picker';
import { RecentAudit } from './recent-audit';
import { ResourceChart } from './resource-chart';
import { ShareButton } from '../share/share-button';
import { SectionPage } from '../shell/section-page';
import { useNow } from '../ui/use-now';

/** Health: the score and what lowers it, the degradation ladder, the host and its resources over time. */
export function HealthSection({ principal }: { principal: Principal }) {
  const params = useSearchParams();
  const range = historyRangeSchema.catch('15m').parse(params.get('range') ?? undefined);
  const health = useHealthQuery();
  const history = useHealthHistoryQuery(range);
  const live = useLiveStatus();
  const now = useNow();
  const snapshot = health.data ?? null;
  const points = history.data?.points ?? [];
  const stale = live.state !== 'live';

  return (
    <SectionPage title="Health" summary="The health score and what lowers it, degradation, the host and its resources." testId="section-health">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-12">
        <Panel
          title="Health"
          subtitle={snapshot ? `sampled ${formatRelative(snapshot.sample.at, now)}` : undefined}
          className="xl:col-span-3"
          testId="panel-health"
        >
          <span hidden data-testid="sample-at">
            {snapshot?.sample.at ?? ''}
          </span>
          <HealthGauge score={snapshot?.score ?? null} deductions={snapshot?.deductions ?? []} stale={stale} />
        </Panel>
        <Panel
          title="Degradation"
          className="xl:col-span-4"
          testId="panel-degradation"
          actions={snapshot && canOperate(principal) ? <PinDegradationControl pinned={snapshot.pinnedDegradation} /> : null}
        >
          {snapshot ? (
            <DegradationLadder level={snapshot.degradation} pinned={snapshot.pinnedDegradation} score={snapshot.score} />
          ) : (
            <EmptyState title={health.isError ? 'Worker unreachable' : 'Waiting for the worker…'} />
          )}
        </Panel>
        <Panel title="Host" className="md:col-span-2 xl:col-span-5" testId="panel-host">
          {snapshot ? <HostFacts snapshot={snapshot} now={now} /> : <EmptyState title={health.isError ? 'Worker unreachable' : 'Waiting for the worker…'} />}
        </Panel>
      </div>

      <Panel
        title="Resources"
        subtitle={history.data?.resolution === 'minute' ? 'one-minute averages' : 'every sample'}
        actions={
          <>
            <RangePicker value={range} />
            {canOperate(principal) ? <ShareButton view={{ path: '/', query: { range } }} defaultTitle={`Host health, last ${range}`} /> : null}
          </>
        }
        testId="panel-resources"
      >
        {history.isError ? (
          <p className="text-sm text-bad">Could not load history: {history.error.message}</p>
        ) : (
          <div className="grid grid-cols-1 gap-6 md:grid-cols-3">
            <ResourceChart points={points} field="cpu" windowMs={HISTORY_RANGES[range]} color="var(--chart-cpu)" label="CPU" warnAt={90} testId="chart-cpu" />
            <ResourceChart
              points={points}
              field="memory"
              windowMs={HISTORY_RANGES[range]}
              color="var(--chart-memory)"
              label="Memory"
              warnAt={95}
              testId="chart-memory"
            />
            <ResourceChart
              points={points}
              field="disk"
              windowMs={HISTORY_RANGES[range]}
              color="var(--chart-disk)"
              label="Fullest disk"
              warnAt={90}
              testId="chart-disk"
            />
          </div>
        )}
      </Panel>

      <Panel
        title="Audit trail"
        subtitle="newest first"
        actions={
          <Link href="/audit" className="text-xs text-accent hover:underline" data-testid="open-audit">
            Open audit trail →
          </Link>
        }
        testId="panel-audit"
      >
        <RecentAudit />
      </Panel>
    </SectionPage>
  );
}
