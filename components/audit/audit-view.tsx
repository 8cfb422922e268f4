'use client';

import { useAuditEventQuery, useAuditSearchQuery } from '../queries/use-audit-search-query';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';
import { AuditEventDrawer } from './audit-event-drawer';
import { AuditFilterBar } from './audit-filter-bar';
import { AuditTimeline } from './audit-timeline';
import { useAuditUrl } from './use-audit-url';
import { ShareButton } from '../share/share-button';
import { ChainStatus } from './chain-status';
import { AuditHostScope } from '../fleet/audit-host-scope';

export function AuditView({ canShare }: { canShare: boolean }) {
  const url = useAuditUrl();
  const search = useAuditSearchQuery(url.filterQuery, url.live);
  const events = search.data?.pages.flatMap((page) => page.events) ?? [];
  const loaded = events.find((e) => e.seq === url.selectedSeq);
  const single = useAuditEventQuery(url.selectedSeq, loaded);
  const selected = loaded ?? single.data ?? null;
  const exportHref = (format: 'ndjson' | 'csv') =>
    `/api/audit/export?${new URLSearchParams([...new URLSearchParams(url.filterQuery), ['format', format]]).toString()}`;

  return (
    <div className="flex flex-col gap-3">
      <Panel
        title="Audit trail"
        subtitle={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {url.live ? 'newest first · live' : 'newest first · fixed window'}
            <ChainStatus canVerify={canShare} />
            <AuditHostScope />
          </span>
        }
        actions={
          <>
            <a
              className="rounded-md border border-border px-2 py-1 text-xs text-muted hover:bg-surface-2"
              href={exportHref('ndjson')}
              download
              data-testid="export-ndjson"
            >
              NDJSON
            </a>
            <a
              className="rounded-md border border-border px-2 py-1 text-xs text-muted hover:bg-surface-2"
              href={exportHref('csv')}
              download
              data-testid="export-csv"
            >
              CSV
            </a>
            {canShare ? (
              <ShareButton
                view={{ path: '/audit', query: Object.fromEntries(new URLSearchParams(url.filterQuery)) }}
                defaultTitle="Audit trail"
                offerRedaction
              />
            ) : null}
          </>
        }
        testId="panel-audit-filters"
      >
        <AuditFilterBar />
      </Panel>
      <div className={url.selectedSeq ? 'grid grid-cols-1 gap-3 lg:grid-cols-[1fr_26rem]' : 'grid grid-cols-1'}>
        <section className="min-w-0 self-start overflow-hidden rounded-lg border border-border bg-surface" aria-label="Events">
          {search.isLoading ? (
            <p className="p-4 text-sm text-faint">Loading…</p>
          ) : search.isError ? (
            <p className="p-4 text-sm text-bad" data-testid="audit-error">
              Could not load the audit trail: {search.error.message}
            </p>
          ) : events.length === 0 ? (
            <div className="p-4">
              <EmptyState title="No events match" testId="audit-empty">
                Widen the time range or clear a filter.
              </EmptyState>
            </div>
          ) : (
            <>
              <AuditTimeline
                events={events}
                selectedSeq={url.selectedSeq}
                compact={url.selectedSeq !== null}
                onSelect={(seq) => url.update({ event: String(seq) })}
              />
              <div className="flex items-center justify-between border-t border-border px-3 py-2 text-xs text-faint">
                <span className="tabular">{events.length} shown</span>
                {search.hasNextPage ? (
                  <Button onClick={() => void search.fetchNextPage()} disabled={search.isFetchingNextPage} data-testid="audit-load-older">
                    {search.isFetchingNextPage ? 'Loading…' : 'Load older'}
                  </Button>
                ) : (
                  <span>beginning of the trail</span>
                )}
              </div>
            </>
          )}
        </section>
        {url.selectedSeq ? <AuditEventDrawer event={selected} loading={single.isLoading} onClose={() => url.update({ event: null })} /> : null}
      </div>
    </div>
  );
}
