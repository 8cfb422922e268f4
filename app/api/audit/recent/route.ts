import { z } from 'zod';
import { canView } from '@/lib/auth/roles';
import { latestAuditEvents } from '@/server/queries/audit';
import { apiRoute } from '@/app/_lib/api-route';

export const GET = apiRoute({
  authorize: canView,
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(12) }),
  async handler({ web, query }) {
    return { events: await latestAuditEvents(web.database.prisma, query.limit) };
  },
});
