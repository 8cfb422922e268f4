import { canView } from '@/lib/auth/roles';
import { HISTORY_RANGES, historyQuerySchema } from '@/lib/health/history-range';
import { readHealthHistory } from '@/server/queries/health';
import { apiRoute } from '@/app/_lib/api-route';

export const GET = apiRoute({
  authorize: canView,
  query: historyQuerySchema,
  async handler({ web, query }) {
    const since = new Date(Date.now() - HISTORY_RANGES[query.range]);
    return { range: query.range, ...(await readHealthHistory(web.database.prisma, since)) };
  },
});
