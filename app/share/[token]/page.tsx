import type { Metadata } from 'next';
import { HISTORY_RANGES, historyRangeSchema } from '@/lib/health/history-range';
import { readHealthHistory } from '@/server/queries/health';
import { SharedFrame } from '@/components/share/shared-frame';
import { SharedHealth } from '@/components/share/shared-health';
import { SharedAudit } from '@/components/share/shared-audit';
import { readSharedAuditPage, SHARED_AUDIT_LIMIT } from '@/server/share/shared-audit';
import { getWebContext, type WebContext } from '@/app/_lib/web-context';
import { openSharedView } from '@/app/_lib/share-access';
import { redactSharedText } from '@/lib/share/share-view';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Shared view', robots: { index: false, follow: false }, referrer: 'no-referrer' };

function describeFilters(query: Record<string, string>): string {
  return Object.entries(query)
    .filter(([key]) => key !== 'event' && key !== 'cursor')
    .map(([key, value]) => `${key}: ${value}`)
    .join(' · ');
}

async function loadHealth(web: WebContext, requested: string | undefined) {
  const range = historyRangeSchema.catch('1h').parse(requested);
  const history = await readHealthHistory(web.database.prisma, new Date(Date.now() - HISTORY_RANGES[range]));
  return { range, points: history.points };
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function SharedViewPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<SearchParams> }) {
  const { token } = await params;
  const web = await getWebContext();
  const link = await openSharedView(web, token);
  let body: React.ReactNode;
  if (link.view.path === '/audit') {
    const page = await readSharedAuditPage(web.database, { frozenQuery: link.view.query, pageQuery: await searchParams, redact: link.redactSources });
    body = (
      <SharedAudit
        page={page}
        filterText={redactSharedText(describeFilters(link.view.query), link.redactSources)}
        limit={SHARED_AUDIT_LIMIT}
        basePath={`/share/${encodeURIComponent(token)}`}
      />
    );
  } else {
    const { range, points } = await loadHealth(web, link.view.query.range);
    body = <SharedHealth range={range} points={points} />;
  }
  return (
    <SharedFrame title={redactSharedText(link.title, link.redactSources)} createdBy={link.createdBy} expiresAt={link.expiresAt} redacted={link.redactSources}>
      {body}
    </SharedFrame>
  );
}
