import type { NextRequest } from 'next/server';
import type { ZodType } from 'zod';
import { assertSameOrigin, handleError, parseBody } from './api-route';
import { forRequest, inRequestScope } from './request-log';
import { withAccess } from './route-access';
import { getWebContext, type WebContext } from './web-context';

/** For the two forms used before anyone is signed in (sign-in and first set-up). */
export function publicFormRoute<B>(schema: ZodType<B>, handler: (ctx: { request: NextRequest; web: WebContext; body: B }) => Promise<Response>) {
  return withAccess(
    (request: NextRequest): Promise<Response> =>
      inRequestScope(request, async () => {
        let web: WebContext | null = null;
        try {
          web = forRequest(await getWebContext(), request);
          assertSameOrigin(request, web);
          return await handler({ request, web, body: await parseBody(request, schema) });
        } catch (error) {
          return handleError(error, web, request);
        }
      }),
    { kind: 'public' },
    { body: schema },
  );
}
