'use client';

import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { useDecideSuggestion, useGovernorQuery } from '../queries/use-forecast-query';

const VERDICT_TONE = { pending: 'neutral', improved: 'ok', unchanged: 'warn', worse: 'bad' } as const;

/** Hardening suggestions: the evidence, apply/dismiss for operators, and whether applying helped. */
export function GovernorList({ canAct }: { canAct: boolean }) {
  const governor = useGovernorQuery();
  const decide = useDecideSuggestion();
  const suggestions = governor.data?.suggestions ?? [];
  return (
    <div className="flex flex-col gap-2 text-xs" data-testid="governor-list">
      <div className="flex items-center justify-between">
        <h3 className="text-[11px] font-semibold uppercase tracking-wide text-muted">Hardening suggestions</h3>
        <a href="/api/governor/export" className="text-accent hover:underline" download>
          Export JSON
        </a>
      </div>
      {suggestions.length === 0 ? (
        <p className="text-faint">
          Nothing learned yet: suggestions appear when a threshold fires too often, a module runs out of restarts or a source keeps hitting the rate limit.
        </p>
      ) : null}
      {suggestions.map((s) => (
        <div key={s.id} className="rounded border border-border bg-surface-2 p-2" data-testid="suggestion">
          <div className="flex items-start justify-between gap-2">
            <span className="text-text">{s.title}</span>
            <Badge tone={s.status === 'applied' ? 'ok' : s.status === 'dismissed' ? 'neutral' : 'accent'}>{s.status}</Badge>
          </div>
          <div className="mt-1 text-faint">
            {s.evidence.count} times in {s.evidence.windowHours} h · <code>{s.change.path}</code>: {String(s.change.from)} → {String(s.change.to)}
          </div>
          {s.effectiveness ? (
            <div className="mt-1 flex items-center gap-2 text-faint">
              before {s.effectiveness.before} · after {s.effectiveness.after}{' '}
              <Badge tone={VERDICT_TONE[s.effectiveness.verdict]}>{s.effectiveness.verdict}</Badge>
            </div>
          ) : null}
          {s.status === 'proposed' && canAct ? (
            <div className="mt-2 flex gap-2">
              <Button
                className="h-6 px-2 text-xs"
                variant="primary"
                disabled={decide.isPending}
                onClick={() => decide.mutate({ id: s.id, decision: 'applied' })}
              >
                Apply
              </Button>
              <Button
                className="h-6 px-2 text-xs"
                variant="ghost"
                disabled={decide.isPending}
                onClick={() => decide.mutate({ id: s.id, decision: 'dismissed' })}
              >
                Dismiss
              </Button>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}
