'use client';

import { useEffect, type ReactNode } from 'react';
import type { IncidentDetailView } from '@/lib/healing/healing-views';
import { useIncidentQuery } from '../queries/use-incidents-query';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { EscalationLadder } from './escalation-ladder';
import { SEVERITY_TONE, words } from './module-format';
import { formatSpan } from '@/lib/healing/module-format';
import { IncidentTimeline } from './incident-timeline';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-[11px] uppercase tracking-wide text-faint">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

function IncidentFacts({ incident }: { incident: IncidentDetailView }) {
  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={SEVERITY_TONE[incident.severity]}>{incident.severity}</Badge>
        <Badge tone={incident.state === 'open' ? 'bad' : 'ok'} testId="incident-state">
          {incident.state}
        </Badge>
        <span className="font-mono text-sm font-semibold">{incident.module}</span>
        <span className="ml-auto">
          <EscalationLadder level={incident.escalationLevel} />
        </span>
      </div>
      <p className="mt-2 text-sm">{incident.title}</p>
      <dl className="mt-3 grid grid-cols-2 gap-3 rounded-md border border-border bg-surface-2 p-3">
        <Fact label="Failure class">{words(incident.failureClass)}</Fact>
        <Fact label="Root cause">{incident.rootCause ? `${words(incident.rootCause)} · ${Math.round(incident.confidence * 100)} %` : '—'}</Fact>
        <Fact label="Detected in (MTTD)">{formatSpan(incident.mttdMs)}</Fact>
        <Fact label="Repaired in (MTTR)">{incident.mttrMs === null ? <span className="text-bad">still open</span> : formatSpan(incident.mttrMs)}</Fact>
        <Fact label="First failure">{new Date(incident.firstFailureAt).toLocaleString()}</Fact>
        <Fact label="Also affected">{incident.affectedDependents.length ? incident.affectedDependents.join(', ') : '—'}</Fact>
      </dl>
    </>
  );
}

/**
 * One incident's timeline, sliding in from the right over the dashboard. Which one is open is
 * in the URL (?incident=), so the page can be shared; Escape or the backdrop closes it.
 */
export function IncidentDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const incident = useIncidentQuery(id);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const data = incident.data;
  return (
    <div className="fixed inset-0 z-30">
      <div className="absolute inset-0 bg-black/50" onClick={onClose} aria-hidden />
      <aside
        role="dialog"
        aria-modal="true"
        aria-label="Incident timeline"
        data-testid="incident-drawer"
        className="absolute top-0 right-0 flex h-full w-[min(34rem,100vw)] flex-col border-l border-border bg-surface shadow-2xl"
      >
        <header className="flex items-center justify-between gap-2 border-b border-border px-4 py-2.5">
          <h2 className="text-[13px] font-semibold uppercase tracking-wide text-muted">Incident</h2>
          <Button variant="ghost" className="h-7 px-2" onClick={onClose} aria-label="Close incident" data-testid="incident-close">
            ✕
          </Button>
        </header>
        <div className="flex-1 overflow-y-auto px-4 py-3">
          {incident.isError ? (
            <p className="text-sm text-bad">{incident.error.message}</p>
          ) : !data ? (
            <p className="text-sm text-faint">Loading…</p>
          ) : (
            <>
              <IncidentFacts incident={data} />
              <h3 className="mt-4 mb-2 text-[11px] uppercase tracking-wide text-faint">Timeline</h3>
              <IncidentTimeline steps={data.steps} start={data.firstFailureAt} />
            </>
          )}
        </div>
      </aside>
    </div>
  );
}
