import { DEGRADATION_LEVELS, FEATURES, disabledFeatures, type DegradationLevel } from '@/lib/health/degradation';
import { FEATURE_LABEL, LEVEL_STYLE } from '@/lib/health/level-style';
import { Badge, TONE_FILL } from '../ui/badge';
import { cn } from '../ui/cn';

export function DegradationLadder({ level, pinned }: { level: DegradationLevel; pinned: DegradationLevel | null }) {
  const style = LEVEL_STYLE[level];
  const disabled = new Set(disabledFeatures(level));
  const current = DEGRADATION_LEVELS.indexOf(level);
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-baseline justify-between gap-2">
        <div className="flex items-baseline gap-2">
          <span className="text-2xl font-semibold" data-testid="degradation-level" data-level={level}>
            {style.label}
          </span>
          {pinned ? (
            <Badge tone="accent" testId="degradation-pinned">
              held ≥ {LEVEL_STYLE[pinned].label}
            </Badge>
          ) : null}
        </div>
        <span className="text-xs text-faint">{level}</span>
      </div>
      <div className="grid grid-cols-5 gap-1" aria-hidden>
        {DEGRADATION_LEVELS.map((l, i) => (
          <div key={l} className="flex flex-col gap-1">
            <div
              className={cn(
                'h-1.5 rounded-full',
                i <= current ? TONE_FILL[LEVEL_STYLE[l].tone] : 'bg-surface-2',
                i === current && 'ring-2 ring-offset-1 ring-offset-surface ring-border',
              )}
            />
            <span className={cn('text-center text-[10px]', i === current ? 'font-semibold text-text' : 'text-faint')}>{LEVEL_STYLE[l].label}</span>
          </div>
        ))}
      </div>
      <p className="text-sm text-muted">{style.summary}</p>
      <ul className="flex flex-wrap gap-1.5" data-testid="feature-map">
        {FEATURES.map((f) => (
          <li key={f}>
            <Badge tone={disabled.has(f) ? 'bad' : 'ok'} className={disabled.has(f) ? 'line-through decoration-1' : undefined}>
              {FEATURE_LABEL[f]}
            </Badge>
          </li>
        ))}
      </ul>
    </div>
  );
}
