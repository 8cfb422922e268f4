import type { DrillScenarioProgress } from '@/lib/drills/drill-schema';
import { Badge, type Tone } from '../ui/badge';

const STATE: Record<DrillScenarioProgress['state'], { tone: Tone; label: string }> = {
  waiting: { tone: 'neutral', label: 'waiting' },
  injected: { tone: 'accent', label: 'fault injected, healing…' },
  passed: { tone: 'ok', label: 'passed' },
  failed: { tone: 'bad', label: 'failed' },
};

/** The running drill, scenario by scenario, refreshed while the panel polls. */
export function DrillProgress({ progress }: { progress: DrillScenarioProgress[] }) {
  const done = progress.filter((p) => p.state === 'passed' || p.state === 'failed').length;
  return (
    <div className="mb-4 rounded-md border border-border bg-surface-2 px-3 py-2" role="status" aria-live="polite" data-testid="drill-progress">
      <p className="text-sm font-medium">
        Drill running: {done} of {progress.length} scenarios done
      </p>
      <ul className="mt-1 flex flex-col gap-1 text-xs">
        {progress.map((p) => (
          <li key={p.scenario} className="flex min-w-0 items-baseline gap-2" data-testid="drill-progress-scenario" data-state={p.state}>
            <span className="w-20 shrink-0 font-mono">{p.scenario}</span>
            <Badge tone={STATE[p.state].tone}>{STATE[p.state].label}</Badge>
            {p.note ? <span className="truncate text-muted">{p.note}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
