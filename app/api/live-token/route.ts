import { canView } from '@/lib/auth/roles';
import { issueLiveToken } from '@/server/auth/live-token';
import { apiRoute } from '@/app/_lib/api-route';

export const GET = apiRoute({
  authorize: canView,
  async handler({ web, principal }) {
    const { token, expiresAt } = await issueLiveToken(web.env.secret, principal);
    return { token, expiresAt, url: web.env.workerPublicUrl, port: web.env.workerPort };
  },
});
