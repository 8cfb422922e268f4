import { HttpError } from '@/lib/http-error';
import { z } from 'zod';
import { burnPasswordCheck, verifyPassword } from '@/server/auth/passwords';
import { findUserByUsername, recordLogin } from '@/server/queries/users';
import { isSecureRequest, requestAddress } from '@/app/_lib/api-route';
import { publicFormRoute } from '@/app/_lib/public-route';
import { beginSession } from '@/app/_lib/session';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

const loginSchema = z.object({
  username: z.string().trim().min(1, 'enter your user name').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
});

export const POST = publicFormRoute(loginSchema, async ({ request, web, body }) => {
  const ip = requestAddress(request, web);
  // Counted before the password is checked, so parallel guesses cannot outrun the count.
  const attempt = await web.throttle.begin(body.username, ip);
  if (!attempt.allowed) {
    const wait = attempt.retryAfterSeconds;
    await recordWebEvent(web, {
      type: 'auth.login_throttled',
      severity: 'warning',
      actor: actorOf({ kind: 'user', name: body.username }),
      action: 'sign in refused: too many failures',
      module: 'web',
      source: ip,
      method: 'password',
    });
    throw new HttpError(429, 'too_many_attempts', `too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min`, { 'retry-after': String(wait) });
  }

  const user = await findUserByUsername(web.database.prisma, body.username);
  const valid = user && !user.disabled ? await verifyPassword(user.passwordHash, body.password) : (await burnPasswordCheck(body.password), false);
  if (!user || !valid) {
    // Best effort: the worker's brute-force detectors see Vigil's own sign-in failures too.
    if (ip !== 'unknown')
      void web.worker.reportSignals([{ kind: 'auth_failure', source: ip, user: body.username, path: '/api/auth/login', status: 401 }]).catch(() => undefined);
    await recordWebEvent(web, {
      type: 'auth.login_failed',
      severity: 'warning',
      actor: actorOf({ kind: 'user', name: body.username }),
      action: 'sign in failed',
      module: 'web',
      source: ip,
      method: 'password',
      reason: user?.disabled ? 'account disabled' : 'wrong user name or password',
    });
    throw new HttpError(401, 'invalid_credentials', 'wrong user name or password');
  }

  await attempt.succeeded();
  await beginSession(web, { userId: user.id, ip, userAgent: request.headers.get('user-agent'), secureRequest: isSecureRequest(request, web) });
  await recordLogin(web.database.prisma, user.id, new Date());
  await recordWebEvent(web, {
    type: 'auth.login_succeeded',
    severity: 'info',
    actor: actorOf({ kind: 'user', name: user.username }),
    action: 'sign in',
    module: 'web',
    source: ip,
    method: 'password',
  });
  return Response.json({ user: { id: user.id, username: user.username, role: user.role } });
});
