import type { Metadata } from 'next';
import { HISTORY_RANGES, historyRangeSchema } from '@/lib/health/history-range';
import { readHealthHistory } from '@/server/queries/health';
import { SharedFrame } from '@/components/share/shared-frame';
import { SharedHealth } from '@/components/share/shared-health';
import { SharedAudit } from '@/components/share/shared-audit';
import { auditFilterQuerySchema, resolveAuditFilters } from '@/lib/audit/filters';
import { redactAddress, redactAddressesInText } from '@/lib/share/share-view';
import { searchAuditEvents } from '@/server/queries/audit-search';
import { getWebContext, type WebContext } from '@/app/_lib/web-context';
import { openSharedView } from '@/app/_lib/share-access';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Shared view', robots: { index: false, follow: false }, referrer: 'no-referrer' };

const SHARED_AUDIT_LIMIT = 200;

function describeFilters(query: Record<string, string>): string {
  return Object.entries(query)
    .filter(([key]) => key !== 'event' && key !== 'cursor')
    .map(([key, value]) => `${key}: ${value}`)
    .join(' · ');
}

/** The frozen filters, applied as the audit page would; sources redacted before anything leaves the server. */
async function loadAudit(web: WebContext, query: Record<string, string>, redact: boolean) {
  const parsed = auditFilterQuerySchema.safeParse(query);
  if (!parsed.success) return [];
  const page = await searchAuditEvents(web.database.prisma, resolveAuditFilters(parsed.data), { limit: SHARED_AUDIT_LIMIT });
  if (!redact) return page.events;
  return page.events.map((e) => ({
    ...e,
    source: redactAddress(e.source),
    actor: redactAddressesInText(e.actor),
    action: redactAddressesInText(e.action),
    reason: e.reason === null ? null : redactAddressesInText(e.reason),
    details: JSON.parse(redactAddressesInText(JSON.stringify(e.details))) as typeof e.details,
  }));
}

async function loadHealth(web: WebContext, requested: string | undefined) {
  const range = historyRangeSchema.catch('1h').parse(requested);
  const history = await readHealthHistory(web.database.prisma, new Date(Date.now() - HISTORY_RANGES[range]));
  return { range, points: history.points };
}

export default async function SharedViewPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const web = await getWebContext();
  const link = await openSharedView(web, token);
  let body: React.ReactNode;
  if (link.view.path === '/audit') {
    const events = await loadAudit(web, link.view.query, link.redactSources);
    body = <SharedAudit events={events} filterText={describeFilters(link.view.query)} limit={SHARED_AUDIT_LIMIT} />;
  } else {
    const { range, points } = await loadHealth(web, link.view.query.range);
    body = <SharedHealth range={range} points={points} />;
  }
  return (
    <SharedFrame title={link.title} createdBy={link.createdBy} expiresAt={link.expiresAt} redacted={link.redactSources}>
      {body}
    </SharedFrame>
  );
}
