'use client';

import type { IncidentSummary } from '@/lib/healing/incident';
import type { IncidentRecordView } from '@/lib/healing/healing-views';
import { formatRelative } from '@/lib/format';
import { Badge } from '../ui/badge';
import { EscalationLadder } from './escalation-ladder';
import { SEVERITY_TONE, words } from './module-format';
import { formatSpan } from '@/lib/healing/module-format';

/** An open incident, large: what broke, why Vigil thinks so, how far it has escalated, who else is hit. */
/** Without `onOpen` (another host's incident, whose timeline stays on its agent) the card only shows. */
export function OpenIncidentCard({ incident, now, onOpen }: { incident: IncidentSummary; now: number; onOpen?: (id: string) => void }) {
  return (
    <button
      type="button"
      onClick={() => onOpen?.(incident.id)}
      disabled={!onOpen}
      data-testid="incident-open"
      data-module={incident.module}
      className="w-full rounded-md border border-bad/40 bg-bad/5 px-3 py-2 text-left transition hover:border-bad/70 hover:bg-bad/10"
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={SEVERITY_TONE[incident.severity]}>{incident.severity}</Badge>
        <span className="font-mono text-sm font-semibold">{incident.module}</span>
        <span className="text-xs text-muted">{words(incident.failureClass)}</span>
        <span className="ml-auto">
          <EscalationLadder level={incident.escalationLevel} />
        </span>
      </div>
      <p className="mt-1 text-sm">{incident.title}</p>
      <div className="mt-1 flex flex-wrap gap-x-3 text-[11px] text-faint">
        <span>opened {formatRelative(incident.openedAt, now)}</span>
        <span>cause: {incident.rootCause ? `${words(incident.rootCause)} (${Math.round(incident.confidence * 100)} % confident)` : 'not known yet'}</span>
        {incident.affectedDependents.length ? <span className="text-warn">also affects {incident.affectedDependents.join(', ')}</span> : null}
      </div>
    </button>
  );
}

/** A past incident on one line, with how long detection and repair took. */
export function RecentIncidentRow({ incident, now, onOpen }: { incident: IncidentRecordView; now: number; onOpen?: (id: string) => void }) {
  return (
    <li>
      <button
        type="button"
        onClick={() => onOpen?.(incident.id)}
        disabled={!onOpen}
        data-testid="incident-recent"
        data-state={incident.state}
        className="flex w-full flex-wrap items-center gap-x-3 gap-y-0.5 rounded px-2 py-1.5 text-left text-sm hover:bg-surface-2"
      >
        <Badge tone={incident.state === 'open' ? SEVERITY_TONE[incident.severity] : 'ok'}>{incident.state === 'open' ? 'open' : 'resolved'}</Badge>
        <span className="min-w-0 flex-1 truncate">
          <span className="font-mono font-medium">{incident.module}</span> <span className="text-muted">{words(incident.failureClass)}</span>
        </span>
        <span className="tabular ml-auto text-right text-xs text-faint sm:whitespace-nowrap">
          MTTD {formatSpan(incident.mttdMs)} · MTTR {formatSpan(incident.mttrMs)} · {formatRelative(incident.openedAt, now)}
        </span>
      </button>
    </li>
  );
}
