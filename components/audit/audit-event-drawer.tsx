'use client';

import type { ReactNode } from 'react';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { SEVERITY_TONE } from './severity-tone';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[5.5rem_1fr] gap-2 py-1">
      <dt className="text-xs uppercase tracking-wide text-faint">{label}</dt>
      <dd className="min-w-0 break-words text-sm">{children ?? <span className="text-faint">—</span>}</dd>
    </div>
  );
}

function HashRow({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="py-1">
      <div className="flex items-center justify-between text-xs uppercase tracking-wide text-faint">
        {label}
        <button type="button" className="normal-case text-accent hover:underline" onClick={() => void navigator.clipboard?.writeText(value)}>
          copy
        </button>
      </div>
      <code data-testid={testId} className="block select-all break-all rounded bg-surface-2 px-2 py-1 font-mono text-xs">
        {value}
      </code>
    </div>
  );
}

/**
 * The raw event. Everything here is untrusted text rendered by React (escaped); details
 * are JSON.stringify output in a <pre>, and no link is ever built from event data.
 */
export function AuditEventDrawer({ event, loading, onClose }: { event: ChainedAuditEvent | null; loading: boolean; onClose: () => void }) {
  return (
    <aside
      data-testid="audit-drawer"
      aria-label="Event detail"
      className="fixed inset-0 z-20 flex flex-col overflow-y-auto border-border bg-surface p-4 shadow-xl lg:static lg:z-auto lg:max-h-[calc(100vh-7rem)] lg:rounded-lg lg:border lg:shadow-none"
    >
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-[13px] font-semibold uppercase tracking-wide text-muted">{event ? `Event #${event.seq}` : 'Event'}</h2>
        <Button variant="ghost" onClick={onClose} aria-label="Close detail">
          ✕
        </Button>
      </div>
      {!event ? (
        <p className="text-sm text-faint">{loading ? 'Loading…' : 'This event does not exist.'}</p>
      ) : (
        <>
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <Badge tone={SEVERITY_TONE[event.severity]}>{event.severity}</Badge>
            <span className="font-mono text-sm">{event.type}</span>
          </div>
          <dl className="divide-y divide-border">
            <Row label="When">
              <span className="tabular">{event.at}</span>
            </Row>
            <Row label="Who">{event.actor}</Row>
            <Row label="What">{event.action}</Row>
            <Row label="Where">{[event.module, event.resource].filter(Boolean).join(' / ') || null}</Row>
            <Row label="Why">{event.reason}</Row>
            <Row label="How">{event.method}</Row>
            <Row label="Source">{event.source ? <span className="font-mono">{event.source}</span> : null}</Row>
            <Row label="Event id">
              <span className="font-mono text-xs">{event.eventId}</span>
            </Row>
          </dl>
          <h3 className="mt-3 text-xs uppercase tracking-wide text-faint">Details</h3>
          <pre
            tabIndex={0}
            data-testid="audit-details"
            className="mt-1 max-h-80 overflow-auto rounded bg-surface-2 p-2 font-mono text-xs whitespace-pre-wrap break-all"
          >
            {JSON.stringify(event.details, null, 2)}
          </pre>
          <div className="mt-3">
            <HashRow label="Hash" value={event.hash} testId="audit-hash" />
            <HashRow label="Previous hash" value={event.prevHash} testId="audit-prev-hash" />
          </div>
        </>
      )}
    </aside>
  );
}
