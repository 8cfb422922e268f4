'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { SharedAuditPage } from '@/lib/share/share-view';
import { AuditEventDrawer } from '../audit/audit-event-drawer';
import { AuditTimeline } from '../audit/audit-timeline';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';

const PAGE_LINK = 'inline-flex h-8 items-center rounded-md border border-border bg-surface-2 px-3 text-sm font-medium text-text hover:border-faint';

/**
 * The audit timeline as frozen into a share link: its filters, newest first, read-only,
 * a page at a time. Paging is plain links carrying the keyset cursor, so every page has
 * an address of its own and is rendered (and redacted) on the server.
 */
export function SharedAudit({ page, filterText, limit, basePath }: { page: SharedAuditPage; filterText: string; limit: number; basePath: string }) {
  const [selected, setSelected] = useState<number | null>(null);
  if (!page.ok) {
    return (
      <Panel title="Audit trail" subtitle={filterText || 'all events'} testId="shared-audit">
        <EmptyState title="This page of the shared view cannot be shown" testId="shared-audit-refused">
          {page.message}{' '}
          <Link href={basePath} className="underline">
            Open the newest events
          </Link>
        </EmptyState>
      </Panel>
    );
  }
  const { events, cursor, nextCursor } = page;
  const event = events.find((e) => e.seq === selected) ?? null;
  const which = cursor === null ? `newest ${limit} matching events as of opening` : `${limit} matching events before #${cursor}`;
  return (
    <div className={selected ? 'grid grid-cols-1 gap-3 lg:grid-cols-[1fr_26rem]' : 'grid grid-cols-1'}>
      <Panel title="Audit trail" subtitle={`${filterText || 'all events'} · ${which}`} testId="shared-audit">
        {events.length === 0 ? (
          <EmptyState title="No events match this view" />
        ) : (
          <AuditTimeline events={events} selectedSeq={selected} compact={false} onSelect={setSelected} />
        )}
        <div className="flex items-center justify-between gap-2 border-t border-border px-3 py-2 text-xs text-faint">
          {cursor === null ? (
            <span className="tabular">{events.length} shown</span>
          ) : (
            <Link href={basePath} className={PAGE_LINK} data-testid="shared-audit-newest">
              Newest events
            </Link>
          )}
          {nextCursor === null ? (
            <span>beginning of the trail</span>
          ) : (
            <Link href={`${basePath}?cursor=${nextCursor}`} className={PAGE_LINK} data-testid="shared-audit-older">
              Older events
            </Link>
          )}
        </div>
      </Panel>
      {event ? <AuditEventDrawer event={event} loading={false} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}
