import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { REQUESTED_PAGE_HEADER, signInPathFor } from '@/lib/auth/return-path';
import { getIronSession, type SessionOptions } from 'iron-session';
import { deriveKey } from '@/server/auth/keys';
import { createSession, endSession, resolveSession, sessionIdOf, type ActiveSession } from '@/server/auth/session-store';
import { getWebContext, type WebContext } from './web-context';

interface SessionCookie {
  secret?: string;
}

const COOKIE_NAME = 'vigil_session';

function cookieOptions(web: WebContext, secureRequest: boolean): SessionOptions {
  const secure = web.env.cookieSecure === 'always' || (web.env.cookieSecure === 'auto' && secureRequest);
  return {
    password: deriveKey(web.env.secret, 'session').toString('base64url'),
    cookieName: COOKIE_NAME,
    ttl: Math.floor(web.env.sessionPolicy.absoluteMs / 1000),
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
  };
}

async function sealedCookie(web: WebContext, secureRequest = false) {
  return getIronSession<SessionCookie>(await cookies(), cookieOptions(web, secureRequest));
}

/** The signed-in user of this request, or null. */
export async function currentSession(): Promise<ActiveSession | null> {
  const web = await getWebContext();
  const cookie = await sealedCookie(web);
  if (!cookie.secret) return null;
  return resolveSession(web.database.prisma, cookie.secret, web.env.sessionPolicy);
}

/** The stored id of this request's session (what a live-socket token is bound to), or null. */
export async function currentSessionId(): Promise<string | null> {
  const cookie = await sealedCookie(await getWebContext());
  return cookie.secret ? sessionIdOf(cookie.secret) : null;
}

/** The signed-in user of a page; anyone else goes to sign in and comes back to the same page and query. */
export async function requireSession(): Promise<ActiveSession> {
  const session = await currentSession();
  if (!session) redirect(signInPathFor((await headers()).get(REQUESTED_PAGE_HEADER)));
  return session;
}

export async function beginSession(
  web: WebContext,
  input: { userId: string; ip: string | null; userAgent: string | null; secureRequest: boolean },
): Promise<void> {
  const { secret } = await createSession(web.database.prisma, input, web.env.sessionPolicy);
  const cookie = await sealedCookie(web, input.secureRequest);
  cookie.secret = secret;
  await cookie.save();
}

export async function finishSession(web: WebContext): Promise<void> {
  const cookie = await sealedCookie(web);
  if (cookie.secret) await endSession(web.database.prisma, cookie.secret);
  cookie.destroy();
}
