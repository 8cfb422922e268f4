import { canView } from '@/lib/auth/roles';
import { issueLiveToken } from '@/server/auth/live-token';
import { apiRoute } from '@/app/_lib/api-route';
import { currentSessionId } from '@/app/_lib/session';

export const GET = apiRoute({
  authorize: canView,
  async handler({ web, principal }) {
    // A person's socket is bound to this session and closes when it ends; a token's to the token.
    const sessionId = principal.kind === 'user' ? ((await currentSessionId()) ?? undefined) : undefined;
    const { token, expiresAt } = await issueLiveToken(web.env.secret, principal, sessionId);
    return { token, expiresAt, url: web.env.workerPublicUrl, port: web.env.workerPort };
  },
});
