import type { NextRequest } from 'next/server';
import type { ZodType } from 'zod';
import { assertSameOrigin, handleError, parseBody } from './api-route';
import { getWebContext, type WebContext } from './web-context';

/** For the two forms used before anyone is signed in (sign-in and first set-up). */
export function publicFormRoute<B>(schema: ZodType<B>, handler: (ctx: { request: NextRequest; web: WebContext; body: B }) => Promise<Response>) {
  return async (request: NextRequest): Promise<Response> => {
    let web: WebContext | null = null;
    try {
      web = await getWebContext();
      assertSameOrigin(request);
      return await handler({ request, web, body: await parseBody(request, schema) });
    } catch (error) {
      return handleError(error, web, request);
    }
  };
}
