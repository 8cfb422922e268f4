import { z } from 'zod';
import { completeSetup, SetupError } from '@/server/auth/first-admin';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/passwords';
import { isSecureRequest, requestAddress } from '@/app/_lib/api-route';
import { publicFormRoute } from '@/app/_lib/public-route';
import { beginSession } from '@/app/_lib/session';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

const setupSchema = z.object({
  token: z.string().min(1).max(200),
  username: z.string().trim().min(3, 'at least 3 characters').max(64),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});

export const POST = publicFormRoute(setupSchema, async ({ request, web, body }) => {
  const ip = requestAddress(request, web);
  let user;
  try {
    user = await completeSetup(web.database.prisma, body.token, body.username, body.password);
  } catch (error) {
    if (error instanceof SetupError) {
      await recordWebEvent(web, {
        type: 'auth.setup_failed',
        severity: 'warning',
        actor: 'anonymous',
        action: 'first administrator set-up refused',
        module: 'web',
        source: ip,
        method: 'setup link',
        reason: error.message,
      });
    }
    throw error;
  }
  await beginSession(web, { userId: user.id, ip, userAgent: request.headers.get('user-agent'), secureRequest: isSecureRequest(request, web) });
  await recordWebEvent(web, {
    type: 'auth.admin_created',
    severity: 'notice',
    actor: actorOf({ kind: 'user', name: user.username }),
    action: 'create first administrator',
    module: 'web',
    source: ip,
    method: 'setup link',
  });
  return Response.json({ user: { id: user.id, username: user.username, role: user.role } });
});
