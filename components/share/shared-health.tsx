import { HISTORY_RANGES, type HealthPoint, type HistoryRange } from '@/lib/health/history-range';
import { LEVEL_STYLE, toneForScore } from '@/lib/health/level-style';
import { ResourceChart } from '../dashboard/resource-chart';
import { Badge, TONE_TEXT } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';

/** The dashboard's health history as it stood when the link was opened: no live updates, no controls. */
export function SharedHealth({ range, points }: { range: HistoryRange; points: HealthPoint[] }) {
  const latest = points[points.length - 1];
  const windowMs = HISTORY_RANGES[range];
  const worst = points.reduce((min, p) => Math.min(min, p.score), 100);
  return (
    <div className="flex flex-col gap-4">
      <Panel title="Health" subtitle={`last ${range}`} testId="shared-health">
        {latest ? (
          <dl className="flex flex-wrap gap-8">
            <div>
              <dt className="text-[11px] uppercase tracking-wide text-faint">Latest score</dt>
              <dd className={`tabular text-3xl font-bold ${TONE_TEXT[toneForScore(latest.score)]}`} data-testid="shared-score">
                {latest.score}
              </dd>
            </div>
            <div>
              <dt className="text-[11px] uppercase tracking-wide text-faint">Lowest in range</dt>
              <dd className={`tabular text-3xl font-bold ${TONE_TEXT[toneForScore(worst)]}`}>{worst}</dd>
            </div>
            <div>
              <dt className="text-[11px] uppercase tracking-wide text-faint">Degradation</dt>
              <dd className="mt-1.5">
                <Badge tone={LEVEL_STYLE[latest.degradation].tone}>{LEVEL_STYLE[latest.degradation].label}</Badge>
              </dd>
            </div>
            <div>
              <dt className="text-[11px] uppercase tracking-wide text-faint">As of</dt>
              <dd className="tabular mt-1 text-sm">{latest.at.replace('T', ' ').slice(0, 19)} UTC</dd>
            </div>
          </dl>
        ) : (
          <EmptyState title="No samples in this range" />
        )}
      </Panel>
      <Panel title="Resources" subtitle={`last ${range}`}>
        <div className="grid grid-cols-1 gap-6 md:grid-cols-3">
          <ResourceChart points={points} field="cpu" color="var(--chart-cpu)" label="CPU" warnAt={90} testId="chart-cpu" windowMs={windowMs} />
          <ResourceChart points={points} field="memory" color="var(--chart-memory)" label="Memory" warnAt={95} testId="chart-memory" windowMs={windowMs} />
          <ResourceChart points={points} field="disk" color="var(--chart-disk)" label="Fullest disk" warnAt={90} testId="chart-disk" windowMs={windowMs} />
        </div>
      </Panel>
    </div>
  );
}
