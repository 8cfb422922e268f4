import type { IncidentStepKind, IncidentStepView } from '@/lib/healing/healing-views';
import { formatClock } from '@/lib/format';
import { cn } from '../ui/cn';

/** A glyph and a colour per step kind; an unknown kind still shows, plainly. */
const STEP_STYLE: Record<IncidentStepKind, { glyph: string; className: string }> = {
  detected: { glyph: '!', className: 'bg-bad text-white dark:text-slate-950' },
  classified: { glyph: '?', className: 'bg-accent text-white dark:text-slate-950' },
  action: { glyph: '↻', className: 'bg-orange text-white dark:text-slate-950' },
  escalated: { glyph: '↑', className: 'bg-crit text-white dark:text-slate-950' },
  notified: { glyph: '✉', className: 'bg-surface-2 text-muted ring-1 ring-border' },
  verified: { glyph: '✓', className: 'bg-ok/20 text-ok ring-1 ring-ok/50' },
  resolved: { glyph: '✓', className: 'bg-ok text-white dark:text-slate-950' },
  approval: { glyph: '⏸', className: 'bg-warn text-white dark:text-slate-950' },
  folded: { glyph: '⇢', className: 'bg-surface-2 text-muted ring-1 ring-border' },
  // Dashed: an Alertmanager alert is word from outside about the incident, not a step Vigil took.
  alert_received: { glyph: '🔔\uFE0E', className: 'border border-dashed border-warn bg-warn/15 text-warn' },
  alert_resolved: { glyph: '✓', className: 'border border-dashed border-ok bg-ok/15 text-ok' },
};
const FALLBACK = { glyph: '·', className: 'bg-surface-2 text-muted ring-1 ring-border' };

const styleOf = (kind: string) => (kind in STEP_STYLE ? STEP_STYLE[kind as IncidentStepKind] : FALLBACK);

function offset(at: string, start: string): string {
  const ms = Date.parse(at) - Date.parse(start);
  if (ms < 1000) return `+${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  return `+${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/** Steps oldest first, each with its clock time and its distance from the first failed probe; details as escaped JSON. */
export function IncidentTimeline({ steps, start }: { steps: IncidentStepView[]; start: string }) {
  if (steps.length === 0) return <p className="text-sm text-faint">No steps recorded.</p>;
  return (
    <ol className="relative flex flex-col gap-3" data-testid="incident-timeline">
      <span aria-hidden className="absolute top-2 bottom-2 left-[11px] w-px bg-border" />
      {steps.map((step, i) => {
        const style = styleOf(step.kind);
        const details = Object.keys(step.details).length ? JSON.stringify(step.details, null, 2) : null;
        return (
          <li key={i} className="relative grid grid-cols-[24px_1fr] gap-3" data-testid="incident-step" data-kind={step.kind}>
            <span className={cn('z-10 flex h-6 w-6 items-center justify-center rounded-full text-xs font-bold', style.className)} aria-hidden>
              {style.glyph}
            </span>
            <div className="min-w-0">
              <div className="flex flex-wrap items-baseline gap-x-2 text-xs">
                <span className="font-semibold uppercase tracking-wide text-muted">{step.kind.replaceAll('_', ' ')}</span>
                <span className="tabular text-faint" title={`${step.at}, measured from the first failed probe`}>
                  {formatClock(step.at)} · {offset(step.at, start)}
                </span>
              </div>
              <p className="text-sm break-words">{step.message}</p>
              {details ? (
                <details className="mt-0.5">
                  <summary className="cursor-pointer text-[11px] text-faint hover:text-muted">details</summary>
                  <pre tabIndex={0} className="mt-1 max-h-48 overflow-auto rounded bg-surface-2 p-2 font-mono text-[11px] whitespace-pre-wrap break-all">
                    {details}
                  </pre>
                </details>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
