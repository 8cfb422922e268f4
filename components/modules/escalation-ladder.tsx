import type { EscalationLevel } from '@/lib/healing/incident';
import { cn } from '../ui/cn';
import { ESCALATION_LABEL } from './module-format';

const STEP_FILL = ['bg-accent', 'bg-warn', 'bg-orange', 'bg-bad', 'bg-crit'] as const;

/** Five rungs, lit up to the current level: 1 self-heal … 5 human required. */
export function EscalationLadder({ level }: { level: EscalationLevel }) {
  return (
    <span
      className="inline-flex items-end gap-0.5"
      role="img"
      aria-label={`escalation level ${level} of 5: ${ESCALATION_LABEL[level]}`}
      title={`Level ${level}: ${ESCALATION_LABEL[level]}`}
      data-testid="escalation-ladder"
      data-level={level}
    >
      {[1, 2, 3, 4, 5].map((rung) => (
        <span
          key={rung}
          className={cn('w-2 rounded-sm', rung <= level ? STEP_FILL[rung - 1] : 'bg-surface-2 ring-1 ring-border ring-inset')}
          style={{ height: `${5 + rung * 3}px` }}
        />
      ))}
      <span className="ml-1 text-[11px] tabular text-muted">L{level}</span>
    </span>
  );
}
