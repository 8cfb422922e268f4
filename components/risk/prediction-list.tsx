import type { Prediction } from '@/lib/forecast/risk';
import { cn } from '../ui/cn';

const eta = (minutes: number) => (minutes < 1 ? 'now' : minutes < 90 ? `in ${Math.round(minutes)} min` : `in ${(minutes / 60).toFixed(1)} h`);

export function PredictionList({ predictions, showSubsystem = false }: { predictions: Prediction[]; showSubsystem?: boolean }) {
  if (predictions.length === 0) return <p className="text-xs text-faint">No failure predicted within a day.</p>;
  return (
    <ul className="flex flex-col divide-y divide-border text-xs" data-testid="prediction-list">
      {predictions.map((p) => (
        <li key={`${p.subsystem}:${p.failure}`} className="flex items-start justify-between gap-3 py-1.5" data-testid="prediction">
          <div className="min-w-0">
            <div className="truncate text-text">
              {showSubsystem ? <span className="text-faint">{p.subsystem} · </span> : null}
              {p.failure}
            </div>
            <div className="truncate text-faint" title={p.precursors.join('; ')}>
              {p.precursors.join(' · ')}
            </div>
          </div>
          <div className="shrink-0 text-right">
            <div className="font-mono text-text" title={p.eta}>
              {eta(p.etaMinutes)}
            </div>
            <div className={cn('font-mono', p.probability >= 0.5 ? 'text-bad' : 'text-muted')}>{Math.round(p.probability * 100)} %</div>
          </div>
        </li>
      ))}
    </ul>
  );
}
