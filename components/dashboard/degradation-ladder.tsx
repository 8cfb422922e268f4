import { DEGRADATION_LEVELS, FEATURES, bandForScore, disabledFeatures, levelRank, type DegradationLevel } from '@/lib/health/degradation';
import { FEATURE_LABEL, LEVEL_STYLE } from '@/lib/health/level-style';
import { Badge, TONE_FILL } from '../ui/badge';
import { cn } from '../ui/cn';

/**
 * Why the gauge and the ladder can disagree for a moment: the worker moves the ladder only after
 * several samples in a row agree (and recovers only a few points past a band's floor), so one
 * spike does not switch features off. Said in words, so a 50 next to "Level 1" is not a bug.
 */
function PendingBandNote({ level, score, pinned }: { level: DegradationLevel; score: number; pinned: DegradationLevel | null }) {
  const band = bandForScore(score);
  if (band === level || (pinned && levelRank(pinned) >= levelRank(band))) return null;
  const worse = levelRank(band) > levelRank(level);
  return (
    <p className="text-xs text-muted" data-testid="degradation-pending">
      Score {score} is in the {LEVEL_STYLE[band].label} band. The ladder {worse ? 'moves there' : 'recovers'} once{' '}
      {worse ? 'consecutive samples confirm it' : 'the score stays clear of the band edge'}; one sample does not switch features.
    </p>
  );
}

export function DegradationLadder({ level, pinned, score = null }: { level: DegradationLevel; pinned: DegradationLevel | null; score?: number | null }) {
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
      {score !== null ? <PendingBandNote level={level} score={score} pinned={pinned} /> : null}
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
