import { RISK_BANDS } from '@/lib/forecast/risk';
import { cn } from '../ui/cn';
import { BAND_CELL, BAND_LABEL } from './risk-style';

/** The bands' colours and ranges, under every heatmap (this host's and the fleet's), so a colour means one thing everywhere. */
export function RiskLegend() {
  return (
    <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-[11px] text-muted" data-testid="risk-legend">
      {RISK_BANDS.map((band) => (
        <span key={band} className="flex items-center gap-1.5">
          <span className={cn('inline-block h-3 w-4 rounded-[2px]', BAND_CELL[band])} />
          {BAND_LABEL[band]}
        </span>
      ))}
      <span className="flex items-center gap-1.5">
        <span className="inline-block h-3 w-4 rounded-[2px] bg-surface-2" />
        no data yet
      </span>
    </div>
  );
}
