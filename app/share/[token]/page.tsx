import type { Metadata } from 'next';
import { HISTORY_RANGES, historyRangeSchema } from '@/lib/health/history-range';
import { readHealthHistory } from '@/server/queries/health';
import { SharedFrame } from '@/components/share/shared-frame';
import { SharedHealth } from '@/components/share/shared-health';
import { getWebContext, type WebContext } from '@/app/_lib/web-context';
import { openSharedView } from '@/app/_lib/share-access';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Shared view', robots: { index: false, follow: false }, referrer: 'no-referrer' };

async function loadHealth(web: WebContext, requested: string | undefined) {
  const range = historyRangeSchema.catch('1h').parse(requested);
  const history = await readHealthHistory(web.database.prisma, new Date(Date.now() - HISTORY_RANGES[range]));
  return { range, points: history.points };
}

export default async function SharedViewPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const web = await getWebContext();
  const link = await openSharedView(web, token);
  const { range, points } = await loadHealth(web, link.view.query.range);
  return (
    <SharedFrame title={link.title} createdBy={link.createdBy} expiresAt={link.expiresAt} redacted={link.redactSources}>
      <SharedHealth range={range} points={points} />
    </SharedFrame>
  );
}
