'use client';

import type { ChainedAuditEvent } from '@/lib/audit/types';
import { Badge } from '../ui/badge';
import { cn } from '../ui/cn';
import { SEVERITY_TONE } from './severity-tone';

function formatStamp(iso: string): { day: string; time: string } {
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return { day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` };
}

/** Dense rows, newest first; event text is untrusted and only ever rendered as React text. */
/** `compact` when the detail panel takes half the width: date and source move to the panel. */
export function AuditTimeline({
  events,
  selectedSeq,
  compact,
  onSelect,
}: {
  events: ChainedAuditEvent[];
  selectedSeq: number | null;
  compact: boolean;
  onSelect: (seq: number) => void;
}) {
  return (
    <ol data-testid="audit-timeline" className="divide-y divide-border">
      {events.map((event) => {
        const stamp = formatStamp(event.at);
        return (
          <li key={event.seq}>
            <button
              type="button"
              data-testid="audit-row"
              data-seq={event.seq}
              aria-current={event.seq === selectedSeq ? 'true' : undefined}
              onClick={() => onSelect(event.seq)}
              className={cn(
                'grid w-full grid-cols-[auto_1fr] items-baseline gap-x-3 gap-y-0.5 px-3 py-1.5 text-left text-xs hover:bg-surface-2',
                compact ? 'md:grid-cols-[3.5rem_4.5rem_5rem_9rem_1fr]' : 'md:grid-cols-[4.5rem_8.5rem_5.5rem_11rem_1fr_9rem]',
                event.seq === selectedSeq && 'bg-accent/10',
              )}
            >
              <span className="tabular text-faint">#{event.seq}</span>
              <span className="tabular text-muted" title={event.at}>
                {compact ? null : <span className="hidden lg:inline">{stamp.day} </span>}
                {stamp.time}
              </span>
              <span>
                <Badge tone={SEVERITY_TONE[event.severity]}>{event.severity}</Badge>
              </span>
              <span className="truncate font-mono">{event.type}</span>
              <span className="col-span-2 min-w-0 truncate md:col-span-1" title={event.reason ? `${event.action} — ${event.reason}` : event.action}>
                <span className="text-muted">{event.actor}</span> {event.action}
                {event.reason ? <span className="text-faint"> — {event.reason}</span> : null}
                {event.module ? <span className="ml-1 text-faint">[{event.module}]</span> : null}
              </span>
              {compact ? null : <span className="hidden truncate font-mono text-muted md:inline">{event.source ?? '—'}</span>}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
