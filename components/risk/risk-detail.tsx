'use client';

import { useState } from 'react';
import { riskBand, type SubsystemDetail } from '@/lib/forecast/risk';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { useApplyMitigation } from '../queries/use-forecast-query';
import { cn } from '../ui/cn';
import { BAND_CELL, BAND_TONE } from './risk-style';
import { PredictionList } from './prediction-list';

/** The drill-down: what made the score, what is predicted, and what to do about it. */
export function RiskDetail({ subsystem, canAct }: { subsystem: SubsystemDetail; canAct: boolean }) {
  const apply = useApplyMitigation();
  const [done, setDone] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="risk-detail">
      <div className="flex items-center justify-between gap-2">
        <div className="min-w-0">
          <div className="truncate font-semibold text-text">{subsystem.name}</div>
          <div className="text-xs text-faint">
            {subsystem.kind} · {subsystem.id}
          </div>
        </div>
        <Badge tone={BAND_TONE[subsystem.band]} testId="risk-detail-score">
          risk {subsystem.risk}
        </Badge>
      </div>
      <section>
        <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-muted">Contributions</h3>
        {subsystem.contributions.length === 0 ? <p className="text-xs text-faint">No signal adds risk.</p> : null}
        <ul className="flex flex-col gap-1" data-testid="risk-contributions">
          {subsystem.contributions.map((c) => (
            <li key={c.signal} className="grid grid-cols-[1fr_auto] items-center gap-x-2 text-xs">
              <span className="truncate text-text">
                {c.signal} <span className="text-faint">— {c.detail}</span>
              </span>
              <span className="font-mono text-muted">{Math.round(c.points)}</span>
              <span className="col-span-2 h-1.5 rounded bg-surface-2">
                <span className={cn('block h-1.5 rounded', BAND_CELL[riskBand(c.points)])} style={{ width: `${Math.max(2, Math.min(100, c.points))}%` }} />
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-muted">Predictions</h3>
        <PredictionList predictions={subsystem.predictions} />
      </section>
      {subsystem.mitigations.length > 0 ? (
        <section data-testid="risk-mitigations">
          <h3 className="mb-1 text-[11px] font-semibold uppercase tracking-wide text-muted">Mitigation plan</h3>
          <ol className="flex flex-col gap-1.5 text-xs">
            {subsystem.mitigations.map((m) => (
              <li key={m.text} className="flex items-center justify-between gap-2">
                <span className="text-text">{m.text}</span>
                {m.action && canAct ? (
                  <Button
                    className="h-6 px-2 text-xs"
                    variant="primary"
                    data-testid="apply-mitigation"
                    disabled={apply.isPending}
                    onClick={() =>
                      apply.mutate(
                        { subsystem: subsystem.id, action: m.action!.id, reason: `risk ${subsystem.risk}: ${m.text}` },
                        { onSuccess: () => setDone(m.text) },
                      )
                    }
                  >
                    Apply
                  </Button>
                ) : null}
              </li>
            ))}
          </ol>
          {apply.isError ? <p className="mt-1 text-xs text-bad">{apply.error.message}</p> : null}
          {done ? <p className="mt-1 text-xs text-ok">Applied: {done}</p> : null}
        </section>
      ) : null}
    </div>
  );
}
