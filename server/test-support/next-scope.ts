// First: Next.js's request storage needs AsyncLocalStorage on globalThis before it loads.
import 'next/dist/server/node-environment-baseline';
import { sealData } from 'iron-session';
import type { NextRequest } from 'next/server';
import { createRequestStoreForAPI } from 'next/dist/server/async-storage/request-store';
import { createWorkStore } from 'next/dist/server/async-storage/work-store';
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external';
import { workUnitAsyncStorage } from 'next/dist/server/app-render/work-unit-async-storage.external';
import { getImplicitTags } from 'next/dist/server/lib/implicit-tags';
import { deriveKey } from '../auth/keys';
import { DEFAULT_SESSION_POLICY } from '../auth/session-store';

type RouteHandler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

/**
 * Calls a route handler inside the request scope Next.js gives it (as its app-route module
 * does), so `cookies()` reads the request's cookies and a signed-in session is a real one.
 */
export async function callInRequestScope(handler: RouteHandler, request: NextRequest, params: Record<string, string> = {}): Promise<Response> {
  const page = `${request.nextUrl.pathname}/route`;
  const implicitTags = await getImplicitTags(page, request.nextUrl.pathname, null);
  // The parts of the request store only rendering reads are left out: a route handler never needs them.
  const requestStore = createRequestStoreForAPI(request as never, request.nextUrl, implicitTags, undefined, undefined as never, undefined);
  const workStore = createWorkStore({ page, renderOpts: { experimental: {} } as never, buildId: 'test', previouslyRevalidatedTags: [] } as never);
  return workUnitAsyncStorage.run(requestStore, () => workAsyncStorage.run(workStore, () => handler(request, { params: Promise.resolve(params) })));
}

/** The `Cookie` header a browser signed in with `sessionSecret` sends, sealed as app/_lib/session.ts seals it. */
export async function sessionCookie(secret: string, sessionSecret: string): Promise<string> {
  const sealed = await sealData(
    { secret: sessionSecret },
    { password: deriveKey(secret, 'session').toString('base64url'), ttl: Math.floor(DEFAULT_SESSION_POLICY.absoluteMs / 1000) },
  );
  return `vigil_session=${sealed}`;
}
