'use client';

import { useState } from 'react';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { AuditEventDrawer } from '../audit/audit-event-drawer';
import { AuditTimeline } from '../audit/audit-timeline';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';

/** The audit timeline as frozen into a share link: its filters, newest first, read-only. */
export function SharedAudit({ events, filterText, limit }: { events: ChainedAuditEvent[]; filterText: string; limit: number }) {
  const [selected, setSelected] = useState<number | null>(null);
  const event = events.find((e) => e.seq === selected) ?? null;
  return (
    <div className={selected ? 'grid grid-cols-1 gap-3 lg:grid-cols-[1fr_26rem]' : 'grid grid-cols-1'}>
      <Panel title="Audit trail" subtitle={`${filterText || 'all events'} · newest ${limit} matching events as of opening`} testId="shared-audit">
        {events.length === 0 ? <EmptyState title="No events match this view" /> : <AuditTimeline events={events} selectedSeq={selected} compact={false} onSelect={setSelected} />}
      </Panel>
      {event ? <AuditEventDrawer event={event} loading={false} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}
